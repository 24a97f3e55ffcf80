using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.EdgePlane;

/// <summary>
/// Authenticated calls to EdgePlane with a resolved <see cref="EdgePlaneCredential"/>: whoami
/// (docs/protocol.md 2.2) and any API path. The credential goes only to its own base URL. A 401
/// names the credential's kind and where it came from, so a pipeline's log says which secret to
/// replace and what EdgePlane said, never the secret itself.
/// </summary>
public sealed class EdgePlaneApi
{
    public EdgePlaneApi(EdgePlaneCredential credential, IReporter? reporter = null)
    {
        Credential = credential;
        Api = new ApiClient(credential.BaseUrl, reporter: reporter);
    }

    public EdgePlaneCredential Credential { get; }
    public ApiClient Api { get; }

    /// <summary>GET /auth/whoami with the credential.</summary>
    public async Task<EdgePlaneIdentity> WhoAmIAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, "/auth/whoami", null, false, "ask EdgePlane who you are", cancellationToken).ConfigureAwait(false);
        return EdgePlaneClient.ParseIdentity(response);
    }

    /// <summary>Sends one call and returns the successful response; failures become errors quoting EdgePlane's reason.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? jsonBody, bool retryUnsafe, string action, CancellationToken cancellationToken)
    {
        var response = await RestCall.SendAsync(Api, Credential.Value, method, path, jsonBody, retryUnsafe, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess) return response;
        var error = response.ToException(action);
        if (response.StatusCode == 401) throw Rejected(response, error);
        throw error;
    }

    private NaraAuthException Rejected(ApiResponse response, NaraAuthException inner)
    {
        if (Credential.Source == EdgePlaneCredentialSource.SessionFile) return EdgePlaneClient.SessionRejected(Credential.BaseUrl, inner);
        var reason = response.ServerReason is { } r ? $" EdgePlane said: {Text.DisplayText.EndSentence(r)}" : string.Empty;
        var where = EdgePlaneUrl.ToStored(Credential.BaseUrl);
        var action = Credential.Kind switch
        {
            EdgePlaneTokenKind.ServiceAccount =>
                $"Check that {Credential.Description} holds a live service-account token of {where}; an EdgePlane administrator can issue a new one.",
            EdgePlaneTokenKind.OidcAccessToken =>
                "EdgePlane accepts an OIDC access token only when it runs with AUTH_MODE oidc or dual, and only from its configured issuer, for its audience, and before it expires; check the token's iss, aud and exp, or use a service-account token.",
            EdgePlaneTokenKind.Session => "The session expired or was revoked; log in again with Invoke-OidcCliLogin.",
            _ => $"Pass a service-account token (mcs_sa_...) in {EnvironmentVariables.EdgePlaneToken} or an OIDC access token with -Token.",
        };
        return new NaraAuthException("EdgePlaneTokenRejected", NaraErrorCategory.AuthenticationError,
            $"EdgePlane at {where} did not accept {Credential.Summary} (HTTP 401).{reason}", action, where, inner);
    }
}
