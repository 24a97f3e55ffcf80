using System.Text;
using System.Text.Json;

namespace NaraAuth.Core.Tests;

/// <summary>A well-formed RS256 JWT with a placeholder signature: offline checks read it, none verifies it.</summary>
public static class UnsignedJwt
{
    /// <param name="payload">Serialized as the claims (an anonymous object, or JSON text as a string).</param>
    public static string Of(object payload)
    {
        var claims = payload as string ?? JsonSerializer.Serialize(payload);
        return Segment("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + Segment(claims) + ".c2lnbmF0dXJl";
    }

    private static string Segment(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
