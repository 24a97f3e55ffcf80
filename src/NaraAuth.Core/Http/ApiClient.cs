using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using Polly;
using Polly.Retry;

namespace NaraAuth.Core.Http;

/// <summary>
/// Sends <see cref="ApiRequest"/>s to one base URL over the shared HttpClient. Idempotent
/// requests are retried on 5xx, 429, timeouts and dropped connections with bounded exponential
/// backoff, waiting what Retry-After asks (capped); other requests are sent exactly once.
/// </summary>
public sealed class ApiClient
{
    private readonly HttpClient _http;
    private readonly RetryOptions _retry;
    private readonly IClock _clock;

    public ApiClient(Uri baseUrl, HttpClient? http = null, RetryOptions? retry = null, IClock? clock = null)
    {
        BaseUrl = baseUrl;
        _http = http ?? SharedHttpClient.Get();
        _retry = retry ?? RetryOptions.Default;
        _clock = clock ?? SystemClock.Instance;
    }

    public Uri BaseUrl { get; }

    /// <summary>Raised before each retry with the attempt number and the wait; never carries a secret.</summary>
    public event Action<int, TimeSpan, string>? Retrying;

    public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var uri = Combine(request.Path);
        if (!request.IsRetryable || _retry.MaxRetries <= 0)
            return await SendOnceAsync(request, uri, cancellationToken).ConfigureAwait(false);

        var pipeline = new ResiliencePipelineBuilder<ApiResponse>()
            .AddRetry(new RetryStrategyOptions<ApiResponse>
            {
                MaxRetryAttempts = _retry.MaxRetries,
                Delay = _retry.BaseDelay,
                MaxDelay = _retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome, cancellationToken)),
                DelayGenerator = args =>
                {
                    var wanted = args.Outcome.Result?.RetryAfter(_clock.UtcNow);
                    if (wanted is { } wait && wait > _retry.MaxDelay) wanted = _retry.MaxDelay;
                    return new ValueTask<TimeSpan?>(wanted);
                },
                OnRetry = args =>
                {
                    var why = args.Outcome.Result != null ? $"HTTP {args.Outcome.Result.StatusCode}" : "connection failure";
                    Retrying?.Invoke(args.AttemptNumber + 1, args.RetryDelay, why);
                    return default;
                },
            })
            .Build();

        var outcome = await pipeline.ExecuteOutcomeAsync(
            async (context, state) =>
            {
                try
                {
                    return Outcome.FromResult(await SendOnceAsync(state, uri, context.CancellationToken).ConfigureAwait(false));
                }
                catch (Exception e)
                {
                    return Outcome.FromException<ApiResponse>(e);
                }
            },
            ResilienceContextPool.Shared.Get(cancellationToken),
            request).ConfigureAwait(false);
        outcome.ThrowIfException();
        return outcome.Result!;
    }

    private static bool IsTransient(Outcome<ApiResponse> outcome, CancellationToken userToken)
    {
        if (userToken.IsCancellationRequested) return false;
        if (outcome.Exception is NaraAuthException nae)
            return nae.ErrorId == "PlatformUnreachable" || nae.ErrorId == "RequestTimedOut";
        if (outcome.Result is { } response)
            return response.StatusCode == 429 || response.StatusCode == 502 || response.StatusCode == 503
                || response.StatusCode == 504 || response.StatusCode == 500;
        return false;
    }

    private async Task<ApiResponse> SendOnceAsync(ApiRequest request, Uri uri, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (request.Bearer != null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.Bearer);
        foreach (var header in request.Headers)
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        if (request.JsonBody != null)
            message.Content = new StringContent(request.JsonBody, Encoding.UTF8, "application/json");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout ?? _retry.Timeout);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return new ApiResponse(response.StatusCode, body, response.Headers, uri);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new NaraAuthException("RequestTimedOut", NaraErrorCategory.OperationTimeout,
                $"{request.Method} {uri.GetLeftPart(UriPartial.Path)} did not answer within {(request.Timeout ?? _retry.Timeout).TotalSeconds:0.#} s.",
                "Check the network, or raise -TimeoutSec.", uri.ToString(), e);
        }
        catch (HttpRequestException e) when (IsProxyAuthenticationFailure(e))
        {
            // An https call through a proxy fails in the CONNECT tunnel, before any response
            // exists, so the 407 arrives as an exception rather than as an ApiResponse.
            throw new NaraAuthException("ProxyAuthenticationRequired", NaraErrorCategory.AuthenticationError,
                $"Could not reach {uri.GetLeftPart(UriPartial.Authority)}: the proxy requires authentication (407).",
                "Pass -ProxyCredential, or configure the system proxy's credentials.", uri.GetLeftPart(UriPartial.Authority), e);
        }
        catch (Exception e) when (e is HttpRequestException || e is IOException)
        {
            throw new NaraAuthException("PlatformUnreachable", NaraErrorCategory.ConnectionError,
                $"Could not reach {uri.GetLeftPart(UriPartial.Authority)}: {Innermost(e).Message}",
                "Check the base URL, the network and any proxy settings.", uri.GetLeftPart(UriPartial.Authority), e);
        }
    }

    private static bool IsProxyAuthenticationFailure(HttpRequestException e)
    {
        for (Exception? current = e; current != null; current = current.InnerException)
            if (current.Message.IndexOf("407", StringComparison.Ordinal) >= 0) return true;
        return false;
    }

    private Uri Combine(string path) => new(BaseUrl, path.TrimStart('/'));

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException != null) e = e.InnerException;
        return e;
    }
}
