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
    /// <param name="idToken">Null only for a client credentials grant, which has no person and so no ID token.</param>
    public OidcTokens(string? idToken, string? accessToken, string? refreshToken, DateTimeOffset? accessTokenExpiresAt)
    {
        IdToken = idToken;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        AccessTokenExpiresAt = accessTokenExpiresAt;
    }

    public string? IdToken { get; }
    public string? AccessToken { get; }
    public string? RefreshToken { get; }
    public DateTimeOffset? AccessTokenExpiresAt { get; }
    /// <summary>
    /// The scope the provider says it granted (RFC 6749 5.1), which may be less than was asked
    /// (offline_access without consent); null when the answer names none, meaning as asked.
    /// </summary>
    public string? GrantedScope { get; internal set; }

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
        return new OidcTokens(id!, JsonText.StringOf(root, "access_token"), JsonText.StringOf(root, "refresh_token"), expires)
        {
            GrantedScope = JsonText.StringOf(root, "scope"),
        };
    }

    /// <summary>A client credentials answer (RFC 6749 4.4.3): an access token, no ID token, no refresh token kept.</summary>
    internal static OidcTokens ParseAccessToken(ApiResponse response, DateTimeOffset now)
    {
        using var document = response.Json();
        var root = document.RootElement;
        var access = root.ValueKind == JsonValueKind.Object ? JsonText.StringOf(root, "access_token") : null;
        if (string.IsNullOrEmpty(access))
        {
            throw new NaraAuthException("OidcNoAccessToken", NaraErrorCategory.ProtocolError,
                "The identity provider's token response has no access_token.",
                "Check that the client may use the client_credentials grant at the provider.", response.RequestUri.ToString());
        }
        KnownSecrets.Remember(access);
        DateTimeOffset? expires = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var s)
            ? now.AddSeconds(s)
            : null;
        return new OidcTokens(null, access, null, expires);
    }
}
