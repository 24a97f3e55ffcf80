using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaraAuth.Emulator.Infrastructure;

/// <summary>RS256 JWTs signed with the emulator's key, and that key as a JWKS.</summary>
public sealed class JwtSigner : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    /// <param name="keyId">The key's id; by default a new one for every emulator start, since each
    /// start makes a new key and a real platform names a rotated key anew.</param>
    public JwtSigner(string? keyId = null)
    {
        KeyId = keyId ?? "emulator-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
    }

    public string KeyId { get; }

    public string Sign(JsonObject payload, string alg = "RS256", string? kid = null)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid ?? KeyId };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        if (alg == "none") return signingInput + ".";
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>Checks an RS256 JWT from this emulator; returns its payload, or null.</summary>
    public JsonObject? Verify(string jwt, DateTimeOffset now)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var header = JsonNode.Parse(FromBase64Url(parts[0])) as JsonObject;
            if (header?["alg"]?.GetValue<string>() != "RS256") return null;
            var ok = _rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]),
                HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (!ok) return null;
            var payload = JsonNode.Parse(FromBase64Url(parts[1])) as JsonObject;
            if (payload?["exp"] is JsonValue exp && exp.GetValue<long>() < now.ToUnixTimeSeconds()) return null;
            return payload;
        }
        catch (Exception e) when (e is FormatException || e is JsonException || e is InvalidOperationException)
        {
            return null;
        }
    }

    public JsonObject Jwks()
    {
        var p = _rsa.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url(p.Modulus!),
                ["e"] = Base64Url(p.Exponent!),
            }),
        };
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    public void Dispose() => _rsa.Dispose();
}
