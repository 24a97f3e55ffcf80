using System;
using System.Text.Json;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;

namespace NaraAuth.Core.Oidc;

/// <summary>A successful token response. All three tokens are secrets: never log or format them.</summary>
public sealed class OidcTokens
{
    public OidcTokens(string idToken, string? accessToken, string? refreshToken, DateTimeOffset? accessTokenExpiresAt)
    {
        IdToken = idToken;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        AccessTokenExpiresAt = accessTokenExpiresAt;
    }

    public string IdToken { get; }
    public string? AccessToken { get; }
    public string? RefreshToken { get; }
    public DateTimeOffset? AccessTokenExpiresAt { get; }

    internal static OidcTokens Parse(ApiResponse response, DateTimeOffset now)
    {
        using var document = response.Json();
        var root = document.RootElement;
        var id = JsonText.StringOf(root, "id_token");
        if (string.IsNullOrEmpty(id))
        {
            throw new NaraAuthException("OidcNoIdToken", NaraErrorCategory.ProtocolError,
                "The identity provider's token response has no id_token.",
                "Make sure the client may use the 'openid' scope.", Http.SafeUri.WithoutQuery(response.RequestUri));
        }
        DateTimeOffset? expires = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var s)
            ? now.AddSeconds(s)
            : null;
        return new OidcTokens(id!, JsonText.StringOf(root, "access_token"), JsonText.StringOf(root, "refresh_token"), expires);
    }
}
