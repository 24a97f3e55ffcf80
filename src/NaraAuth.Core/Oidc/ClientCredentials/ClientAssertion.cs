using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>
/// The client assertion of private_key_jwt (RFC 7523 2.2, OIDC Core 9): a JWT with iss = sub =
/// client_id, aud = the token endpoint (or the issuer, <see cref="ClientAssertionProfile.Issuer"/>), a fresh jti, iat and a short exp, signed with the
/// certificate's private key and naming the certificate by its SHA-256 thumbprint (x5t#S256) so
/// the provider can pick the registered key. RS256 for RSA keys, ES256/384/512 for EC keys by
/// curve. Only this class touches IdentityModel for client credentials, so Import-Module and the
/// other logins never load it for this.
/// </summary>
public static class ClientAssertion
{
    public const string JwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /// <summary>The explicit type of draft-ietf-oauth-rfc7523bis, so the assertion cannot pass for another kind of JWT.</summary>
    public const string ClientAuthenticationType = "client-authentication+jwt";

    /// <summary>Long enough for a slow token endpoint, short enough that a captured assertion is soon useless.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Create(string clientId, Uri tokenEndpoint, X509Certificate2 certificate, DateTimeOffset now) =>
        Create(clientId, tokenEndpoint.AbsoluteUri, ClientAssertionProfile.TokenEndpoint, certificate, now);

    /// <param name="audience">The token endpoint, or the issuer exactly as discovery states it, as <paramref name="profile"/> says.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Create(string clientId, string audience, ClientAssertionProfile profile, X509Certificate2 certificate, DateTimeOffset now)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new NaraAuthException("ClientCertificateNoPrivateKey", NaraErrorCategory.InvalidArgument,
                $"The client certificate '{certificate.Subject}' ({certificate.Thumbprint}) has no private key, so it cannot sign the client assertion.",
                "Pass a certificate with its private key: a PFX with its -ClientCertificatePassword, a PEM with the key, or one from a store that holds the key.", "-ClientCertificate");
        }
        var credentials = SigningCredentialsFor(certificate);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            TokenType = profile == ClientAssertionProfile.Issuer ? ClientAuthenticationType : "JWT",
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(Lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = clientId,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = credentials,
            AdditionalHeaderClaims = new Dictionary<string, object> { ["x5t#S256"] = Thumbprint(certificate) },
        };
        return handler.CreateToken(descriptor);
    }

    /// <summary>The certificate's SHA-256 thumbprint, base64url (RFC 7515 4.1.8).</summary>
    public static string Thumbprint(X509Certificate2 certificate)
    {
        using var sha = SHA256.Create();
        return Base64UrlEncoder.Encode(sha.ComputeHash(certificate.RawData));
    }

    private static SigningCredentials SigningCredentialsFor(X509Certificate2 certificate)
    {
        if (certificate.GetRSAPrivateKey() is { } rsa)
        {
            rsa.Dispose();
            return new X509SigningCredentials(certificate, SecurityAlgorithms.RsaSha256);
        }
        // Kept open: the signing key uses it until the token is written.
        var ec = certificate.GetECDsaPrivateKey();
        if (ec != null)
        {
            var algorithm = ec.KeySize switch
            {
                384 => SecurityAlgorithms.EcdsaSha384,
                521 => SecurityAlgorithms.EcdsaSha512,
                _ => SecurityAlgorithms.EcdsaSha256,
            };
            return new SigningCredentials(new ECDsaSecurityKey(ec) { KeyId = certificate.Thumbprint }, algorithm);
        }
        throw new NaraAuthException("ClientCertificateKeyUnsupported", NaraErrorCategory.InvalidArgument,
            $"The client certificate '{certificate.Subject}' has a key that is neither RSA nor EC; private_key_jwt needs one of those.",
            "Use an RSA (2048 bits or more) or EC P-256 certificate.", "-ClientCertificate");
    }
}
