using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;
using NaraAuth.Core.Polling;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.EdgePlane;

/// <summary>
/// The server-mediated EdgePlane CLI login of docs/protocol.md 2.1: initiate, wait for the person to
/// finish in a browser (by polling cli-poll, or with a grant id they type), exchange the one-time
/// grant for a session. Saving is the caller's job, so a cancelled login writes nothing.
/// </summary>
public sealed class CliLoginFlow
{
    private readonly ApiClient _api;
    private readonly ApiClient _poller;
    private readonly IClock _clock;
    private readonly IReporter _reporter;

    /// <param name="reporter">Hears retries, the countdown and why polling changed pace.</param>
    public CliLoginFlow(Uri baseUrl, IClock clock, IReporter? reporter = null)
    {
        BaseUrl = baseUrl;
        _clock = clock;
        _reporter = reporter ?? Reporter.None;
        _api = new ApiClient(baseUrl, clock: clock, reporter: _reporter);
        // Polling handles 404/429/5xx itself (it must stop at expires_at), so its client never retries.
        _poller = new ApiClient(baseUrl, retry: new RetryOptions { MaxRetries = 0 }, clock: clock);
    }

    public Uri BaseUrl { get; }

    /// <summary>How often cli-poll is asked; the protocol names no interval.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between polls after 429s or failures.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Our own limit on the wait, whatever expires_at says: a server that answers a far
    /// expires_at (the year 2099) cannot keep the session waiting.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The wait between polls; tests replace it to run the loop on a fake clock.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = PollSchedule.RealDelay;

    public async Task<CliLoginStart> InitiateAsync(CancellationToken cancellationToken)
    {
        var response = await _api.SendAsync(new ApiRequest(HttpMethod.Get, "/auth/oidc/cli-initiate"), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccess("start the EdgePlane login");
        using var document = response.Json();
        var root = document.RootElement;
        var url = JsonText.StringOf(root, "authorize_url");
        var nonce = JsonText.StringOf(root, "cli_nonce");
        var expires = Iso8601.TryParse(JsonText.StringOf(root, "expires_at"));
        if (url == null || !Uri.TryCreate(url, UriKind.Absolute, out var authorize)
            || (authorize.Scheme != Uri.UriSchemeHttps && authorize.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(nonce) || expires == null)
        {
            throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                "EdgePlane's cli-initiate answer lacks a valid authorize_url, cli_nonce or expires_at.",
                "Check that the base URL points to EdgePlane.", Http.SafeUri.WithoutQuery(response.RequestUri));
        }
        return new CliLoginStart(authorize, nonce!, expires.Value);
    }

    /// <summary>
    /// Polls cli-poll until the login is done and returns the grant id. 404 means "not yet";
    /// 429 slows the polling down, failures back it off; the wait ends at expires_at.
    /// </summary>
    public async Task<string> WaitForGrantAsync(CliLoginStart start, CancellationToken cancellationToken)
    {
        var path = "/auth/oidc/cli-poll/" + Uri.EscapeDataString(start.CliNonce);
        var localEnd = _clock.UtcNow + MaxWait;
        var deadline = localEnd < start.ExpiresAt ? localEnd : start.ExpiresAt;
        var schedule = new PollSchedule(_clock, deadline, PollInterval, _reporter, Delay)
        {
            MaxInterval = MaxPollInterval,
            BackOffOnFailure = true,
            Activity = "EdgePlane login",
            Status = "Waiting for the login in the browser",
        };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (schedule.IsOver) throw Ended(start, deadline);

            try
            {
                var request = new ApiRequest(HttpMethod.Get, path) { TimeLimit = schedule.StartPoll() };
                var response = await _poller.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == 200)
                {
                    using var document = response.Json();
                    var status = JsonText.StringOf(document.RootElement, "status");
                    var grant = JsonText.StringOf(document.RootElement, "grant_id");
                    if (string.Equals(status, "ready", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(grant)) return grant!;
                    schedule.Pending();
                }
                else if (response.StatusCode == 404)
                {
                    schedule.Pending();
                }
                else if (response.StatusCode == 410)
                {
                    throw Expired(start);
                }
                else if (response.StatusCode == 429 || response.StatusCode >= 500)
                {
                    var asked = response.RetryAfter(_clock.UtcNow);
                    // Asked to wait past our deadline: waiting cannot end in a login, so say so now.
                    if (schedule.IsBeyondDeadline(asked)) throw response.ToException("wait for the EdgePlane login");
                    if (response.StatusCode == 429) schedule.SlowDown("EdgePlane answered HTTP 429 while waiting", null, asked);
                    else if (!schedule.Failed($"HTTP {response.StatusCode}", asked)) throw response.ToException("wait for the EdgePlane login");
                }
                else
                {
                    throw response.ToException("wait for the EdgePlane login");
                }
            }
            catch (NaraAuthException e) when (e.IsTransient && schedule.Failed(e.ErrorId))
            {
                // A flaky network while the person logs in is not a reason to give up at once: poll less often.
            }

            if (schedule.IsOver) throw Ended(start, deadline);
            await schedule.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Exchanges the one-time grant for a session (sent once: a grant cannot be used twice).</summary>
    public async Task<EdgePlaneSession> ExchangeAsync(string grantId, int? ttlHours, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(grantId))
        {
            throw new NaraAuthException("EdgePlaneGrantMissing", NaraErrorCategory.InvalidArgument,
                "No grant id was given.", "Copy the grant id (olg_...) from the login success page.");
        }
        var body = ttlHours is { } ttl
            ? JsonSerializer.Serialize(new { grant_id = grantId.Trim(), ttl_hours = ttl })
            : JsonSerializer.Serialize(new { grant_id = grantId.Trim() });
        // The grant is a one-time login credential: a server that echoes it in an error gets it masked.
        var exchange = new ApiRequest(HttpMethod.Post, "/auth/oidc/exchange") { JsonBody = body }.AddSecret(grantId.Trim());
        var response = await _api.SendAsync(exchange, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 400 && string.Equals(response.ErrorCode, "invalid_grant", StringComparison.Ordinal))
        {
            throw new NaraAuthException("EdgePlaneGrantInvalid", NaraErrorCategory.InvalidArgument,
                "EdgePlane refused the grant id: it was already used, has expired or does not exist (a grant works once).",
                "Log in again with Invoke-OidcCliLogin to get a new grant.");
        }
        response.EnsureSuccess("exchange the EdgePlane login grant");
        using var document = response.Json();
        var root = document.RootElement;
        var token = JsonText.StringOf(root, "token");
        if (string.IsNullOrEmpty(token))
        {
            throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                "EdgePlane's exchange answer has no session token.", "Try logging in again.", Http.SafeUri.WithoutQuery(response.RequestUri));
        }
        long? sessionId = root.TryGetProperty("session_id", out var sid) && sid.ValueKind == JsonValueKind.Number && sid.TryGetInt64(out var n) ? n : null;
        return new EdgePlaneSession(token!, JsonText.StringOf(root, "subject"), JsonText.StringOf(root, "email"),
            Iso8601.TryParse(JsonText.StringOf(root, "expires_at")), EdgePlaneUrl.ToStored(BaseUrl), sessionId);
    }

    private NaraAuthException Ended(CliLoginStart start, DateTimeOffset deadline) =>
        deadline < start.ExpiresAt
            ? new NaraAuthException("EdgePlaneLoginTimedOut", NaraErrorCategory.OperationTimeout,
                $"The login was not completed within {Text.DurationText.Of(MaxWait)}, NaraAuth's limit for one login (EdgePlane would have waited until {Text.TimeText.Of(start.ExpiresAt)}).",
                "Run Invoke-OidcCliLogin again and finish the login in the browser in time, or give a longer -LoginTimeoutSec.")
            : Expired(start);

    private static NaraAuthException Expired(CliLoginStart start) =>
        new("EdgePlaneLoginExpired", NaraErrorCategory.OperationTimeout,
            $"The login was not completed before it expired at {Text.TimeText.Of(start.ExpiresAt)}.",
            "Run Invoke-OidcCliLogin again and finish the login in the browser in time.");
}
