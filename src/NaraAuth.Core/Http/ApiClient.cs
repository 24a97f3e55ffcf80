using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Http;

/// <summary>
/// The one HTTP path: every request of the module (platform API, EdgePlane, identity
/// providers, the WebSocket handshake) is sent here over the shared HttpClient, so the guards
/// live once: the final URI keeps the base URL's origin, no redirect is followed, a body is
/// bounded in size and read within the attempt's timeout, server text is redacted before it is
/// quoted, and failures are classified (timeout, unreachable, TLS, proxy) with
/// <see cref="NaraAuthException.IsTransient"/> set. Idempotent requests are retried on 5xx,
/// 429 and transient failures with bounded exponential backoff; a Retry-After longer than the
/// retry budget ends the call at once. Other requests are sent exactly once.
/// </summary>
public sealed class ApiClient
{
    private static readonly Random Jitter = new();
    private readonly RetryOptions _retry;
    private readonly IClock _clock;
    private readonly IReporter _reporter;

    /// <param name="reporter">Hears of each retry (verbose, worded by <see cref="RetryNotice"/>); never of a secret.</param>
    public ApiClient(Uri baseUrl, RetryOptions? retry = null, IClock? clock = null, IReporter? reporter = null)
    {
        BaseUrl = baseUrl;
        _retry = retry ?? RetryOptions.Default;
        _clock = clock ?? SystemClock.Instance;
        _reporter = reporter ?? Reporter.None;
    }

    public Uri BaseUrl { get; }

    public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var uri = SafeUri.Combine(BaseUrl, request.Path);
        foreach (var secret in request.Secrets()) KnownSecrets.Remember(secret);
        ProxyGuard.RefusePlainHttpCredential(uri, request, NetworkSettings.Current?.Proxy);
        var retries = request.IsRetryable ? Math.Max(0, _retry.MaxRetries) : 0;
        var waited = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            ApiResponse? response = null;
            NaraAuthException? failure = null;
            try
            {
                response = await SendOnceAsync(request, uri, cancellationToken).ConfigureAwait(false);
            }
            catch (NaraAuthException e) when (e.IsTransient && attempt <= retries && !cancellationToken.IsCancellationRequested)
            {
                failure = e;
            }

            if (response != null && (attempt > retries || !IsTransientStatus(response.StatusCode))) return response;

            var wait = Backoff(attempt);
            var asked = response?.RetryAfter(_clock.UtcNow);
            var budgetLeft = _retry.Budget - waited;
            if (asked is { } serverWait)
            {
                // The server's wish is honoured only within our own bounds; beyond them the
                // answer is final now, and its error quotes the server's time.
                if (serverWait > _retry.MaxDelay || serverWait > budgetLeft) return response!;
                wait = serverWait;
            }
            if (wait > budgetLeft)
            {
                if (response != null) return response;
                throw failure!;
            }
            _reporter.Verbose(RetryNotice.Text(attempt, wait, response != null ? $"HTTP {response.StatusCode}" : failure!.ErrorId));
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            waited += wait;
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        double factor;
        lock (Jitter) factor = 0.8 + Jitter.NextDouble() * 0.4;
        var ticks = _retry.BaseDelay.Ticks * Math.Pow(2, attempt - 1) * factor;
        return ticks >= _retry.MaxDelay.Ticks ? _retry.MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    private static bool IsTransientStatus(int status) => status == 429 || status == 500 || status == 502 || status == 503 || status == 504;

    private async Task<ApiResponse> SendOnceAsync(ApiRequest request, Uri uri, CancellationToken cancellationToken)
    {
        using var message = BuildMessage(request, uri);
        var timeoutAfter = RequestTimeouts.ForAttempt(request.TimeLimit);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeoutAfter);
        var redactor = request.CreateRedactor();
        try
        {
            // The client for the current call's proxy, picked at each send: this ApiClient may have
            // been built before the call's network settings were current.
            using var response = await SharedHttpClient.ForCurrentCall().SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            // A read that the runtime does not cancel by itself ends when the response is disposed.
            using var abort = timeout.Token.Register(() => response.Dispose());
            var status = (int)response.StatusCode;
            if (status == 407 && ProxyGuard.IsFromOrigin(uri, NetworkSettings.Current?.Proxy))
                throw ProxyGuard.OriginChallenge(request, uri);
            if (status >= 300 && status < 400)
                throw TransportErrors.Redirect(request, uri, response, redactor);
            if (status == 101)
            {
                if (request.OnUpgraded == null)
                    throw TransportErrors.UnexpectedUpgrade(request, uri);
                var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                await request.OnUpgraded(response.Headers, stream, timeout.Token).ConfigureAwait(false);
                return new ApiResponse(response.StatusCode, string.Empty, response.Headers, uri, redactor);
            }
            var body = await BoundedBody.ReadAsync(response, request.MaxResponseBytes, request, uri, timeout.Token).ConfigureAwait(false);
            return new ApiResponse(response.StatusCode, body, response.Headers, uri, redactor);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: whatever the runtime threw while being aborted, the call was stopped.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (NaraAuthException)
        {
            throw;
        }
        catch (Exception e) when (timeout.IsCancellationRequested && (e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is HttpRequestException))
        {
            throw TransportErrors.TimedOut(request, uri, timeoutAfter, e);
        }
        catch (HttpRequestException e) when (TransportErrors.IsProxyAuthenticationFailure(e))
        {
            // An https call through a proxy fails in the CONNECT tunnel, before any response
            // exists, so the 407 arrives as an exception rather than as an ApiResponse.
            throw TransportErrors.ProxyAuthentication(uri, e);
        }
        catch (Exception e) when (TransportErrors.Find<AuthenticationException>(e) != null)
        {
            throw TransportErrors.Tls(uri, e);
        }
        catch (Exception e) when (e is HttpRequestException || e is IOException || e is ObjectDisposedException)
        {
            throw TransportErrors.Unreachable(uri, e);
        }
    }

    private static HttpRequestMessage BuildMessage(ApiRequest request, Uri uri)
    {
        var message = new HttpRequestMessage(request.Method, uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (request.Bearer != null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.Bearer);
        foreach (var header in request.Headers)
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        if (request.JsonBody != null)
            message.Content = new StringContent(request.JsonBody, Encoding.UTF8, "application/json");
        else if (request.Form != null)
            message.Content = new FormUrlEncodedContent(request.Form);
        if (request.WebSocketKey != null)
        {
            message.Headers.Connection.Add("Upgrade");
            message.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
            message.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", request.WebSocketKey);
            message.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        }
        return message;
    }
}

