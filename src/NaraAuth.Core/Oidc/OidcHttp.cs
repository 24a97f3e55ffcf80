using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Oidc;

/// <summary>
/// Form posts to an identity provider's endpoints (token, device authorization) over the shared
/// HttpClient. Sent once: the callers' loops decide what to repeat. Errors mirror ApiClient's.
/// </summary>
internal static class OidcHttp
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<ApiResponse> PostFormAsync(Uri endpoint, IDictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await SharedHttpClient.Get().SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return new ApiResponse(response.StatusCode, body, response.Headers, endpoint);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new NaraAuthException("RequestTimedOut", NaraErrorCategory.OperationTimeout,
                $"POST {endpoint.GetLeftPart(UriPartial.Path)} did not answer within {Timeout.TotalSeconds:0} s.",
                "Check the network and try again.", endpoint.ToString(), e);
        }
        catch (Exception e) when (e is HttpRequestException || e is IOException)
        {
            var inner = e;
            while (inner.InnerException != null) inner = inner.InnerException;
            throw new NaraAuthException("PlatformUnreachable", NaraErrorCategory.ConnectionError,
                $"Could not reach {endpoint.GetLeftPart(UriPartial.Authority)}: {inner.Message}",
                "Check the identity provider's address, the network, any proxy and that its certificate is trusted.",
                endpoint.GetLeftPart(UriPartial.Authority), e);
        }
    }
}
