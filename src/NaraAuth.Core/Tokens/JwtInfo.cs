using System;
using Microsoft.IdentityModel.JsonWebTokens;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Tokens;

/// <summary>
/// A decoded (not yet trusted) platform JWT: its shape is checked here, its signature and
/// organization by <see cref="TokenValidator"/>. Claims per docs/protocol.md 1.3; their text is
/// cleaned of control characters (<see cref="Text.DisplayText"/>) because it is still untrusted.
/// </summary>
public sealed class JwtInfo
{
    private JwtInfo(string raw, JsonWebToken token)
    {
        Raw = raw;
        Parsed = token;
        Algorithm = token.Alg;
        KeyId = string.IsNullOrEmpty(token.Kid) ? null : token.Kid;
        Subject = Claim(token, "sub");
        Organization = Claim(token, "org");
        OrganizationName = Claim(token, "org_name");
        Email = Claim(token, "email");
        Role = Claim(token, "role");
        Issuer = Claim(token, "iss");
        IssuedAt = Time(token, "iat");
        ExpiresAt = Time(token, "exp");
        NotBefore = Time(token, "nbf");
    }

    /// <summary>The compact JWT. Never log or format this.</summary>
    public string Raw { get; }
    internal JsonWebToken Parsed { get; }
    public string Algorithm { get; }
    public string? KeyId { get; }
    public string? Subject { get; }
    public string? Organization { get; }
    public string? OrganizationName { get; }
    public string? Email { get; }
    public string? Role { get; }
    public string? Issuer { get; }
    public DateTimeOffset? IssuedAt { get; }
    public DateTimeOffset? ExpiresAt { get; }
    public DateTimeOffset? NotBefore { get; }

    /// <summary>Parses the compact form; the error never quotes the token.</summary>
    public static JwtInfo Parse(string? jwt)
    {
        var text = jwt?.Trim() ?? string.Empty;
        var segments = text.Split('.');
        if (segments.Length != 3 || segments[0].Length == 0 || segments[1].Length == 0)
            throw Malformed("it does not have three base64url segments");
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(text);
        }
        catch (Exception e) when (e is ArgumentException || e is FormatException || e is System.Text.Json.JsonException)
        {
            throw Malformed("its header or payload is not base64url-encoded JSON");
        }
        if (string.IsNullOrEmpty(token.Alg) || string.Equals(token.Alg, "none", StringComparison.OrdinalIgnoreCase)
            || segments[2].Length == 0)
        {
            throw new NaraAuthException(ErrorIds.UnsignedJwt, NaraErrorCategory.SecurityError,
                "The token is not signed (alg 'none' or an empty signature); NaraAuth never accepts unsigned tokens.",
                "Get a new token from the platform with Connect-EdgeConnector.");
        }
        return new JwtInfo(text, token);
    }

    private static NaraAuthException Malformed(string why) =>
        new(ErrorIds.MalformedJwt, NaraErrorCategory.InvalidData,
            $"The token is not a well-formed JWT: {why}.",
            "Check that the whole token was copied, or log in again with Connect-EdgeConnector.");

    private static string? Claim(JsonWebToken token, string name)
    {
        if (!token.TryGetPayloadValue<object>(name, out var value) || value == null) return null;
        // The token is not verified yet and its claims reach messages and output: no terminal
        // escape sequence or control character may come along.
        var text = Text.DisplayText.Sanitize(value.ToString());
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static DateTimeOffset? Time(JsonWebToken token, string name)
    {
        if (!token.TryGetPayloadValue<object>(name, out var value) || value == null) return null;
        return double.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
    }

    public bool IsExpired(DateTimeOffset now, TimeSpan skew) => ExpiresAt is { } exp && exp + skew <= now;
}
