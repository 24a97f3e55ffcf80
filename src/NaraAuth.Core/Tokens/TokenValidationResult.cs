using System;

namespace NaraAuth.Core.Tokens;

public sealed class TokenValidationResult
{
    public TokenValidationResult(JwtInfo jwt, bool signatureVerified, bool organizationVerified, string? organizationName, Uri platform)
    {
        Platform = platform;
        Jwt = jwt;
        SignatureVerified = signatureVerified;
        OrganizationVerified = organizationVerified;
        OrganizationName = organizationName;
    }

    public JwtInfo Jwt { get; }
    /// <summary>True when the RS256 signature verified against the platform's JWKS.</summary>
    public bool SignatureVerified { get; }
    /// <summary>True when the platform confirmed the organization and its Edge Connector access.</summary>
    public bool OrganizationVerified { get; }
    /// <summary>The organization's name, from the platform or else the org_name claim.</summary>
    public string? OrganizationName { get; }
    /// <summary>The platform that was asked.</summary>
    public Uri Platform { get; }

    /// <summary>
    /// Null when the signature was checked; else the sentence every caller reports (without its
    /// full stop): the platform publishes no JWKS, so only its answer vouches for the token.
    /// </summary>
    public string? UncheckedSignatureNote => SignatureVerified ? null : $"{Platform} publishes no signing keys, so the token's signature was not checked";
}
