using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Oidc.Msal;

/// <summary>
/// MSAL's requests go out through the module's shared HttpClient, with one correction: MSAL adds
/// "scope" to the authorization code redemption, which RFC 6749 4.1.3 does not define for that
/// grant and strict providers (OpenIddict) refuse with invalid_request. The scopes were granted
/// at the authorization request already, so the parameter is dropped from that one request. Every
/// answer is read within the module's one size cap before MSAL sees it.
/// </summary>
internal sealed class CodeRedemptionHandler : HttpMessageHandler
{
    private readonly ProxySettings? _proxy;

    public CodeRedemptionHandler(ProxySettings? proxy)
    {
        _proxy = proxy;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && request.Content is { } content
            && content.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded")
        {
            var body = await content.ReadAsStringAsync().ConfigureAwait(false);
            var pairs = body.Split('&').Where(p => p.Length > 0).ToList();
            if (pairs.Contains("grant_type=authorization_code") && pairs.Any(IsScope))
            {
                var replacement = new StringContent(string.Join("&", pairs.Where(p => !IsScope(p))), System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
                foreach (var header in content.Headers.Where(h => h.Key != "Content-Type" && h.Key != "Content-Length"))
                    replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
                request.Content = replacement;
            }
        }
        // An HttpClient refuses a request another one already sent: forward a copy.
        using var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
        foreach (var header in request.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        var response = await SharedHttpClient.Get(_proxy).SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        copy.Content = null; // owned by the original request
        // MSAL would read any body whole: read it here within the module's one size cap instead.
        var uri = request.RequestUri!;
        string text;
        try
        {
            text = await BoundedBody.ReadAsync(response, ApiRequest.DefaultMaxResponseBytes, new ApiRequest(request.Method, uri.PathAndQuery), uri, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
        var mediaType = response.Content?.Headers.ContentType?.MediaType ?? "application/json";
        response.Content?.Dispose();
        var bounded = new StringContent(text, System.Text.Encoding.UTF8, mediaType);
        response.Content = bounded;
        return response;
    }

    private static bool IsScope(string pair) => pair.StartsWith("scope=", System.StringComparison.Ordinal);
}
