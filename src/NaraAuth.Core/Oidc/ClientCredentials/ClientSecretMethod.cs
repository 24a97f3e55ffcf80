using System.Text;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>How a client secret travels to the token endpoint.</summary>
public enum ClientSecretMethod
{
    /// <summary>HTTP Basic (client_secret_basic): the method every provider must support (RFC 6749 2.3.1).</summary>
    Basic,
    /// <summary>client_id and client_secret in the form body (client_secret_post).</summary>
    Post,
}
