using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Oidc;

/// <summary>
/// Validates an ID token (OpenID Connect Core 3.1.3.7) with Microsoft.IdentityModel: iss equals the
/// discovered issuer, aud contains the client id, RS256/ES256 signature against the provider's
/// JWKS, not expired (with the module's skew), and the nonce when one was sent. Each failure has
/// its own error id so scripts and people can tell a misconfiguration from an attack.
/// </summary>
public sealed class IdTokenValidator
{
    private readonly IClock _clock;

    public IdTokenValidator(IClock clock)
    {
        _clock = clock;
    }

    /// <summary>What NaraAuth verifies: asymmetric signatures only (a public client has no shared secret to check HS256 with).</summary>
    public static readonly string[] AllowedAlgorithms =
    {
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384,
    };

    public async Task<OidcIdentity> ValidateAsync(string idToken, OidcProviderMetadata provider, string clientId, string? expectedNonce, CancellationToken cancellationToken)
    {
        var info = Inspect(idToken);
        var keys = await provider.GetSigningKeysAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        if (info.KeyId != null && !Publishes(keys, info.KeyId))
        {
            // Providers rotate keys: a kid we have not seen may be new, so the keys are read once more.
            keys = await provider.GetSigningKeysAsync(refresh: true, cancellationToken).ConfigureAwait(false);
            if (!Publishes(keys, info.KeyId))
            {
                throw new NaraAuthException("IdTokenUnknownKey", NaraErrorCategory.SecurityError,
                    $"The ID token is signed with key '{info.KeyId}', which the provider does not publish ({provider.JwksUri}); it was forged or the provider is misconfigured.",
                    "Log in again; if it repeats, report it to the identity provider's administrators.", Http.SafeUri.WithoutQuery(provider.JwksUri));
            }
        }
        return await ValidateAsync(idToken, provider.Issuer, clientId, keys, expectedNonce).ConfigureAwait(false);
    }

    private static bool Publishes(JsonWebKeySet keys, string kid)
    {
        foreach (var key in keys.Keys)
            if (string.Equals(key.Kid, kid, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>The token's shape and algorithm, with ID-token errors and OIDC advice (never quoting the token).</summary>
    private static JwtInfo Inspect(string idToken)
    {
        JwtInfo info;
        try
        {
            info = JwtInfo.Parse(idToken);
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.UnsignedJwt)
        {
            throw new NaraAuthException("IdTokenUnsigned", NaraErrorCategory.SecurityError,
                "The ID token is not signed (alg 'none' or an empty signature); NaraAuth never accepts unsigned ID tokens.",
                "Configure the client at the identity provider to sign ID tokens with RS256 or ES256 (id_token_signed_response_alg).");
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.MalformedJwt)
        {
            throw new NaraAuthException("IdTokenMalformed", NaraErrorCategory.InvalidData,
                "The identity provider's ID token is not a well-formed JWT.", "Report this to the identity provider's administrators.");
        }
        if (Array.IndexOf(AllowedAlgorithms, info.Algorithm) < 0)
        {
            throw new NaraAuthException("IdTokenAlgorithmNotAllowed", NaraErrorCategory.SecurityError,
                $"The ID token is signed with {info.Algorithm}; NaraAuth accepts only {string.Join(", ", AllowedAlgorithms)}, which a public client can verify against the provider's published keys.",
                "Configure the client at the identity provider to sign ID tokens with RS256 or ES256 (id_token_signed_response_alg).");
        }
        return info;
    }

    public async Task<OidcIdentity> ValidateAsync(string idToken, string issuer, string clientId, JsonWebKeySet keys, string? expectedNonce)
    {
        var info = Inspect(idToken);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = clientId,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            // Lifetime is checked below against the module's clock, with the module's skew.
            ValidateLifetime = false,
            RequireExpirationTime = true,
            ValidAlgorithms = AllowedAlgorithms,
            IssuerSigningKeys = keys.GetSigningKeys(),
            TryAllIssuerSigningKeys = true,
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, parameters).ConfigureAwait(false);
        if (!result.IsValid) throw Map(result.Exception, info, issuer, clientId);

        var now = _clock.UtcNow;
        if (info.ExpiresAt == null || info.IsExpired(now, TokenValidationOptions.ClockSkew))
        {
            throw new NaraAuthException("IdTokenExpired", NaraErrorCategory.AuthenticationError,
                info.ExpiresAt == null ? "The ID token has no expiry." : $"The ID token expired at {Text.TimeText.Of(info.ExpiresAt.Value)}.",
                "Check this machine's clock, then log in again.");
        }
        if (info.NotBefore is { } nbf && nbf - TokenValidationOptions.ClockSkew > now)
        {
            throw new NaraAuthException("IdTokenNotYetValid", NaraErrorCategory.AuthenticationError,
                $"The ID token is not valid before {Text.TimeText.Of(nbf)}; check this machine's clock.", "Correct the system clock, then log in again.");
        }
        if (expectedNonce != null)
        {
            var token = new JsonWebToken(idToken);
            token.TryGetPayloadValue<string>("nonce", out var nonce);
            if (!string.Equals(nonce, expectedNonce, StringComparison.Ordinal))
            {
                throw new NaraAuthException("IdTokenNonceMismatch", NaraErrorCategory.SecurityError,
                    "The ID token's nonce does not match the one this login sent; it may be replayed from another login.",
                    "Log in again; if it repeats, report it to the identity provider's administrators.");
            }
        }
        CheckAuthorizedParty(info, clientId);
        if (string.IsNullOrEmpty(info.Subject))
        {
            throw new NaraAuthException("IdTokenMissingSubject", NaraErrorCategory.InvalidData,
                "The ID token has no 'sub' claim.", "Report this to the identity provider's administrators.");
        }
        var name = info.Parsed.TryGetPayloadValue<string>("name", out var n) ? n : null;
        return new OidcIdentity(info.Subject!, info.Email, name, issuer, info.ExpiresAt);
    }

    /// <summary>
    /// OIDC Core 3.1.3.7 (4, 5): a token for several audiences must name this client as its
    /// authorized party, else another audience could replay it here; any azp must be this client.
    /// </summary>
    private static void CheckAuthorizedParty(JwtInfo info, string clientId)
    {
        var audiences = info.Parsed.Audiences.ToList();
        var azp = info.Parsed.TryGetPayloadValue<string>("azp", out var value) ? value : null;
        if (audiences.Count > 1 && string.IsNullOrEmpty(azp))
        {
            throw new NaraAuthException("IdTokenWrongAuthorizedParty", NaraErrorCategory.SecurityError,
                $"The ID token is issued for {audiences.Count} audiences but names no authorized party (azp); it is accepted only when azp is the client id '{clientId}'.",
                "Report this to the identity provider's administrators: a multi-audience ID token must carry azp.");
        }
        if (!string.IsNullOrEmpty(azp) && !string.Equals(azp, clientId, StringComparison.Ordinal))
        {
            throw new NaraAuthException("IdTokenWrongAuthorizedParty", NaraErrorCategory.SecurityError,
                $"The ID token was issued to the application '{azp}' (azp), not to '{clientId}'.",
                $"Check -ClientId / {EnvironmentVariables.OidcClientId} against the client registered at the identity provider.");
        }
    }

    private static NaraAuthException Map(Exception? e, JwtInfo info, string issuer, string clientId) => e switch
    {
        SecurityTokenInvalidAudienceException => new NaraAuthException("IdTokenWrongAudience", NaraErrorCategory.SecurityError,
            $"The ID token was issued for another application: its audience does not contain the client id '{clientId}'.",
            $"Check -ClientId / {EnvironmentVariables.OidcClientId} against the client registered at the identity provider."),
        SecurityTokenInvalidIssuerException => new NaraAuthException("IdTokenWrongIssuer", NaraErrorCategory.SecurityError,
            $"The ID token was issued by '{info.Issuer}', not by the expected issuer '{issuer}'.",
            $"Check -Authority / {EnvironmentVariables.OidcIssuerUrl}; it must equal the iss claim the provider issues."),
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => new NaraAuthException("IdTokenBadSignature", NaraErrorCategory.SecurityError,
            "The ID token's signature does not verify against the identity provider's published keys; it was altered or forged.",
            "Log in again; if it repeats, report it to the identity provider's administrators."),
        SecurityTokenInvalidAlgorithmException => new NaraAuthException("IdTokenBadSignature", NaraErrorCategory.SecurityError,
            $"The ID token is signed with an algorithm NaraAuth does not accept ({info.Algorithm}).",
            "Configure the identity provider to sign ID tokens with RS256 or ES256."),
        _ => new NaraAuthException("IdTokenInvalid", NaraErrorCategory.SecurityError,
            "The ID token is not valid: " + (e?.GetType().Name ?? "unknown reason") + ".",
            "Log in again."),
    };
}
