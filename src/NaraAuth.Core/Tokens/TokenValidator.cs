using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Tokens;

/// <summary>
/// The checks of docs/protocol.md 1.3, in order: format, expiry, organization claim (offline), then
/// signature against the JWKS and organization membership against the platform (online).
/// Each failure has its own error id, so a script can tell them apart.
/// </summary>
public sealed class TokenValidator
{
    private readonly IClock _clock;
    private readonly JwksCache _jwks;

    public TokenValidator(IClock? clock = null, JwksCache? jwks = null)
    {
        _clock = clock ?? SystemClock.Instance;
        _jwks = jwks ?? JwksCache.Shared;
    }

    /// <summary>Format, lifetime and organization claim; needs no network.</summary>
    public JwtInfo ValidateOffline(string? jwt, TokenValidationOptions options)
    {
        var info = JwtInfo.Parse(jwt);
        var now = _clock.UtcNow;
        if (info.ExpiresAt == null)
        {
            throw new NaraAuthException("TokenHasNoExpiry", NaraErrorCategory.InvalidData,
                "The token has no 'exp' claim; platform tokens always expire.",
                "Get a new token with Connect-EdgeConnector.");
        }
        if (!options.AllowExpired && info.IsExpired(now, TokenValidationOptions.ClockSkew))
        {
            throw new NaraAuthException(ErrorIds.TokenExpired, NaraErrorCategory.AuthenticationError,
                $"The token expired at {Text.TimeText.Of(info.ExpiresAt.Value)}.",
                "Log in again with Connect-EdgeConnector.");
        }
        if (info.NotBefore is { } nbf && nbf - TokenValidationOptions.ClockSkew > now)
        {
            throw new NaraAuthException("TokenNotYetValid", NaraErrorCategory.AuthenticationError,
                $"The token is not valid before {Text.TimeText.Of(nbf)}; check this machine's clock.",
                "Make sure the system clock is correct, then try again.");
        }
        if (string.IsNullOrEmpty(info.Organization))
        {
            throw new NaraAuthException("TokenMissingOrganization", NaraErrorCategory.InvalidData,
                "The token has no 'org' claim, so it does not belong to an organization.",
                "Log in again and choose an organization.");
        }
        if (options.RequiredOrganization != null
            && !string.Equals(options.RequiredOrganization, info.Organization, StringComparison.Ordinal))
        {
            throw new NaraAuthException("OrganizationMismatch", NaraErrorCategory.InvalidArgument,
                $"The token is for organization '{info.Organization}', not '{options.RequiredOrganization}'.",
                "Log in with an account of the required organization, or drop -Organization.");
        }
        return info;
    }

    /// <summary>All checks, the online ones against the platform at <paramref name="platform"/>.</summary>
    public async Task<TokenValidationResult> ValidateAsync(string? jwt, TokenValidationOptions options, ApiClient platform, CancellationToken cancellationToken)
    {
        var info = ValidateOffline(jwt, options);
        var signatureVerified = await VerifySignatureAsync(info, platform, cancellationToken).ConfigureAwait(false);
        var (verified, name) = await VerifyOrganizationAsync(info, platform, cancellationToken).ConfigureAwait(false);
        return new TokenValidationResult(info, signatureVerified, verified, name ?? info.OrganizationName, platform.BaseUrl);
    }

    private async Task<bool> VerifySignatureAsync(JwtInfo info, ApiClient platform, CancellationToken cancellationToken)
    {
        var keys = await _jwks.GetAsync(platform, info.KeyId, cancellationToken).ConfigureAwait(false);
        if (keys == null) return false;
        if (await SignatureVerifiesAsync(info, keys).ConfigureAwait(false)) return true;
        // The cached keys may be stale: a platform that restarted or rotated its key can reuse a
        // key id. One fresh fetch decides; the cache limits how often that can happen.
        var fresh = await _jwks.RefreshAsync(platform, cancellationToken).ConfigureAwait(false);
        if (fresh != null && await SignatureVerifiesAsync(info, fresh).ConfigureAwait(false)) return true;
        throw new NaraAuthException("InvalidSignature", NaraErrorCategory.SecurityError,
            "The token's signature does not verify against the platform's signing keys; it was altered or issued by someone else.",
            "Get a new token from the platform with Connect-EdgeConnector.");
    }

    private static async Task<bool> SignatureVerifiesAsync(JwtInfo info, JsonWebKeySet keys)
    {
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false, // checked above with the protocol's skew
            RequireSignedTokens = true,
            RequireExpirationTime = false,
            ValidAlgorithms = new[] { SecurityAlgorithms.RsaSha256 },
            IssuerSigningKeys = keys.GetSigningKeys(),
            TryAllIssuerSigningKeys = string.IsNullOrEmpty(info.KeyId),
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(info.Raw, parameters).ConfigureAwait(false);
        return result.IsValid;
    }

    private static async Task<(bool, string?)> VerifyOrganizationAsync(JwtInfo info, ApiClient platform, CancellationToken cancellationToken)
    {
        var response = await platform.SendAsync(new ApiRequest(HttpMethod.Get, "/api/me/organizations") { Bearer = info.Raw }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 401)
        {
            throw new NaraAuthException("TokenRejected", NaraErrorCategory.AuthenticationError,
                Text.DisplayText.EndSentence($"The platform rejected the token{(response.ServerReason is { } r ? ": " + r : string.Empty)}"),
                "Log in again with Connect-EdgeConnector.");
        }
        response.EnsureSuccess("list your organizations");
        using var document = response.Json();
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                "The platform's organization list is not a JSON array.", null, "/api/me/organizations");
        }
        var known = new List<string>();
        foreach (var org in document.RootElement.EnumerateArray())
        {
            if (org.ValueKind != JsonValueKind.Object || !org.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String) continue;
            known.Add(id.GetString()!);
            if (!string.Equals(id.GetString(), info.Organization, StringComparison.Ordinal)) continue;
            var name = Json.JsonText.StringOf(org, "name");
            var enabled = org.TryGetProperty("edgeConnector", out var ec) && ec.ValueKind == JsonValueKind.True;
            if (!enabled)
            {
                throw new NaraAuthException("OrganizationNotEnabled", NaraErrorCategory.PermissionDenied,
                    $"Organization '{info.Organization}'{(name != null ? $" ({name})" : string.Empty)} does not have the Edge Connector enabled.",
                    "Ask an administrator to enable the Edge Connector for the organization.");
            }
            return (true, name);
        }
        throw new NaraAuthException("OrganizationNotFound", NaraErrorCategory.PermissionDenied,
            $"The token's organization '{info.Organization}' is not among your organizations ({(known.Count == 0 ? "none" : string.Join(", ", known))}).",
            "Log in again with an account of that organization.");
    }
}
