using System.Text.Json;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>How a client proves itself at the token endpoint in a client credentials grant.</summary>
public enum ClientCredentialMethod
{
    /// <summary>A client secret, sent with HTTP Basic (client_secret_basic) or in the form (client_secret_post).</summary>
    ClientSecret,
    /// <summary>A client assertion JWT signed with the client's certificate key (private_key_jwt, RFC 7523).</summary>
    Certificate,
    /// <summary>A JWT the caller already holds, sent as the client assertion (workload identity federation).</summary>
    FederatedToken,
    /// <summary>The CI job's own ID token, fetched from the CI system and sent as the client assertion.</summary>
    WorkloadIdentity,
}
