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

