using System;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace NaraAuth.ApiKeys;

/// <summary>scrypt over the UTF-8 bytes of a key, through BouncyCastle's maintained implementation.</summary>
public static class ApiKeyHasher
{
    public const int SaltBytes = 16;
    public const int KeyBytes = 32;

    /// <summary>The raw scrypt output (RFC 7914) for a password and salt.</summary>
    public static byte[] Derive(byte[] password, byte[] salt, ScryptParameters parameters, int length) =>
        SCrypt.Generate(password, salt, checked((int)parameters.N), parameters.BlockSize, parameters.Parallelism, length);

    /// <summary>The secure public hash (base64 of the PHC string) of <paramref name="key"/> with the given salt.</summary>
    public static string Hash(string key, byte[] salt, ScryptParameters parameters, int hashBytes = 32)
    {
        var password = Encoding.UTF8.GetBytes(key);
        try
        {
            return PhcScryptString.Encode(parameters, salt, Derive(password, salt, parameters, hashBytes));
        }
        finally
        {
            Array.Clear(password, 0, password.Length);
        }
    }

    internal static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
        return bytes;
    }
}

/// <summary>A new key and its hash, as New-ApiKey returns them.</summary>
public sealed class GeneratedApiKey
{
    internal GeneratedApiKey(string key, string hash, ScryptParameters parameters)
    {
        Key = key;
        Hash = hash;
        Parameters = parameters;
    }

    /// <summary>The private key: base64 of 32 random bytes. Shown once.</summary>
    public string Key { get; }
    /// <summary>The secure public hash for the server's configuration.</summary>
    public string Hash { get; }
    public ScryptParameters Parameters { get; }
}

public static class ApiKeyGenerator
{
    /// <summary>docs/protocol.md 4: key = base64(32 random bytes); hash with ln=16, r=8, p=1 and a 16-byte random salt.</summary>
    public static GeneratedApiKey Generate(ScryptParameters? parameters = null)
    {
        parameters ??= ScryptParameters.Default;
        var keyBytes = ApiKeyHasher.RandomBytes(ApiKeyHasher.KeyBytes);
        var key = Convert.ToBase64String(keyBytes);
        Array.Clear(keyBytes, 0, keyBytes.Length);
        var hash = ApiKeyHasher.Hash(key, ApiKeyHasher.RandomBytes(ApiKeyHasher.SaltBytes), parameters);
        return new GeneratedApiKey(key, hash, parameters);
    }
}
