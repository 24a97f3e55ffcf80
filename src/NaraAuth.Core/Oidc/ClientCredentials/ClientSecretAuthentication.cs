using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>
/// Client secret authentication (RFC 6749 2.3.1). HTTP Basic unless the provider's discovery
/// document lists token endpoint methods without client_secret_basic but with client_secret_post:
/// Basic is the one method every provider must support, and a secret in a header is not echoed in
/// form-parsing errors or logged with the body.
/// </summary>
public static class ClientSecretAuthentication
{
    public const string BasicName = "client_secret_basic";
    public const string PostName = "client_secret_post";

    /// <param name="supported">token_endpoint_auth_methods_supported, or null when the provider does not say (RFC 8414 2: then client_secret_basic).</param>
    public static ClientSecretMethod Choose(IReadOnlyList<string>? supported)
    {
        if (supported == null || supported.Count == 0 || supported.Contains(BasicName, StringComparer.Ordinal)) return ClientSecretMethod.Basic;
        return supported.Contains(PostName, StringComparer.Ordinal) ? ClientSecretMethod.Post : ClientSecretMethod.Basic;
    }

    /// <summary>
    /// The Authorization header value: "Basic " + base64(urlencode(id) ":" urlencode(secret)), each
    /// part form-urlencoded first as RFC 6749 2.3.1 says (a ':' or '%' in a secret survives).
    /// </summary>
    public static string BasicHeader(string clientId, string clientSecret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(FormEncode(clientId) + ":" + FormEncode(clientSecret)));

    /// <summary>application/x-www-form-urlencoded encoding (spaces as '+'), as RFC 6749 Appendix B defines it.</summary>
    public static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+");

    /// <summary>Adds the secret to the request the chosen way.</summary>
    public static void Apply(ClientSecretMethod method, string clientId, string clientSecret, IDictionary<string, string> form, IDictionary<string, string> headers)
    {
        if (method == ClientSecretMethod.Basic)
        {
            headers["Authorization"] = BasicHeader(clientId, clientSecret);
            return;
        }
        form["client_id"] = clientId;
        form["client_secret"] = clientSecret;
    }
}
