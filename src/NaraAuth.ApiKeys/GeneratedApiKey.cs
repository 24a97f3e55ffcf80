using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace NaraAuth.ApiKeys;

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
