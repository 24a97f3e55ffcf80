using System;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace NaraAuth.ApiKeys;

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
