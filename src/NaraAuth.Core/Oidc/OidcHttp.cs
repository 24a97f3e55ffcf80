using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Oidc;

/// <summary>
/// Form posts to an identity provider's endpoints (token, device authorization) through the
/// module's one HTTP path. Sent once: the callers' loops decide what to repeat. Secret form
/// fields (codes, verifiers, refresh tokens, client secrets) are masked in anything quoted back.
/// </summary>
internal static class OidcHttp
{
    private static readonly RetryOptions SendOnce = new() { MaxRetries = 0 };

    /// <param name="timeLimit">The flow's time limit on this post (what is left of a login wait), which even -TimeoutSec does not lift.</param>
    /// <param name="headers">Extra headers, e.g. the client's HTTP Basic credentials (masked like every credential header).</param>
    public static Task<ApiResponse> PostFormAsync(Uri endpoint, IDictionary<string, string> form, CancellationToken cancellationToken, TimeSpan? timeLimit = null,
        IDictionary<string, string>? headers = null)
    {
        var origin = new Uri(SafeUri.Origin(endpoint) + "/");
        var request = new ApiRequest(HttpMethod.Post, endpoint.PathAndQuery) { Form = form, RetryUnsafe = false, TimeLimit = timeLimit };
        if (headers != null)
            foreach (var header in headers) request.Headers[header.Key] = header.Value;
        // The endpoint itself is checked too: user info in it would otherwise be dropped silently.
        SafeUri.RefuseUserInfo(endpoint, "the identity provider's endpoint");
        return new ApiClient(origin, retry: SendOnce).SendAsync(request, cancellationToken);
    }
}
