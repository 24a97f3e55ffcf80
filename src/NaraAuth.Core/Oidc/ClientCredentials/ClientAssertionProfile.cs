using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>Which audience and type header a client assertion carries.</summary>
public enum ClientAssertionProfile
{
    /// <summary>OpenID Connect Core 9 and RFC 7523: aud = the token endpoint, typ JWT. What most providers (Entra ID among them) expect.</summary>
    TokenEndpoint,
    /// <summary>draft-ietf-oauth-rfc7523bis: aud = the issuer identifier alone, typ client-authentication+jwt. What strict providers (OpenIddict 7) require.</summary>
    Issuer,
}
