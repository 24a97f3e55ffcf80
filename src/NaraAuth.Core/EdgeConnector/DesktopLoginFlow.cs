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

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// The desktop (browser) login of docs/protocol.md 1.1: start a session, then poll until the person
/// approves, refuses, the code expires or our own time limit is reached. The waiting is
/// <see cref="PollSchedule"/>'s; what each answer means is decided here.
/// </summary>
public sealed class DesktopLoginFlow
{
    public const string StartPath = "/api/auth/desktop/start";
    public const string TokenPath = "/api/auth/desktop/session/token";
    /// <summary>docs/protocol.md 1.1: interval is optional, default 2 s.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);
    /// <summary>docs/protocol.md 1.1: a 429 adds 5 s to the interval for the rest of the flow.</summary>
    public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);
    /// <summary>Transient failures (5xx, dropped connection) tolerated in a row before giving up.</summary>
    public const int MaxConsecutiveFailures = PollSchedule.DefaultMaxConsecutiveFailures;

    /// <summary>
    /// Our own limit when -LoginTimeoutSec is not given, whatever expiresAt says: a server that
    /// answers a far expiresAt cannot keep the session waiting.
    /// </summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(15);

    private readonly ApiClient _platform;
    private readonly IClock _clock;
    private readonly Func<TimeSpan, CancellationToken, Task>? _delay;
    private readonly IReporter _reporter;

    /// <param name="platform">A client for the platform. Polls go through it one at a time; this
    /// class does its own 429 handling, so give it a client without automatic retries.</param>
    /// <param name="delay">The wait between polls; tests replace it to run the loop on a fake clock.</param>
    /// <param name="reporter">Hears the countdown and why polling changed pace.</param>
    public DesktopLoginFlow(ApiClient platform, IClock clock, Func<TimeSpan, CancellationToken, Task>? delay = null, IReporter? reporter = null)
    {
        _platform = platform;
        _clock = clock;
        _delay = delay;
        _reporter = reporter ?? Reporter.None;
    }

    public async Task<DesktopLoginStart> StartAsync(string deviceName, string deviceId, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new StartBody { deviceName = deviceName, deviceId = deviceId });
        // A start creates a login session on the server: sent once, never retried blindly.
        var response = await _platform.SendAsync(new ApiRequest(HttpMethod.Post, StartPath) { JsonBody = body, RetryUnsafe = false }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccess("start the browser login");
        using var document = response.Json();
        var root = document.RootElement;
        var code = JsonText.StringOf(root, "code");
        var url = JsonText.StringOf(root, "url");
        var expiresAt = Iso8601.TryParse(JsonText.StringOf(root, "expiresAt"));
        if (code == null || url == null || expiresAt == null)
        {
            throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                $"The platform's answer to {StartPath} lacks 'code', 'url' or 'expiresAt'.",
                "Check that the base URL points to the nara platform.", StartPath);
        }
        var interval = DefaultInterval;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("interval", out var i) && i.ValueKind == JsonValueKind.Number
            && i.TryGetDouble(out var seconds) && seconds > 0 && seconds < 3600)
            interval = TimeSpan.FromSeconds(seconds);
        return new DesktopLoginStart(code, url, expiresAt.Value, interval);
    }

    /// <summary>Polls until a token is issued; every other end is a <see cref="NaraAuthException"/> with its own id.</summary>
    /// <param name="loginTimeout">Our own limit on the wait (-LoginTimeoutSec); null waits until the code expires, at most <see cref="DefaultMaxWait"/>.</param>
    public async Task<string> WaitForTokenAsync(DesktopLoginStart start, TimeSpan? loginTimeout, CancellationToken cancellationToken)
    {
        var began = _clock.UtcNow;
        var deadline = start.ExpiresAt;
        var timedOutFirst = false;
        var limit = loginTimeout ?? DefaultMaxWait;
        if (began + limit < deadline)
        {
            deadline = began + limit;
            timedOutFirst = true;
        }
        var schedule = new PollSchedule(_clock, deadline, start.Interval, _reporter, _delay)
        {
            // Only the countdown: the URL is on its own line above, where no bar can cut it.
            Activity = $"Waiting for approval of code {start.Code}",
            Status = "Approve in the browser",
        };
        var path = TokenPath + "?code=" + Uri.EscapeDataString(start.Code);

        while (true)
        {
            await schedule.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (schedule.IsOver) throw Ended(start, timedOutFirst, loginTimeout, limit);

            ApiResponse response;
            try
            {
                // The login wait's time limit: one slow answer never carries us past the deadline, whatever -TimeoutSec says.
                var request = new ApiRequest(HttpMethod.Get, path) { TimeLimit = schedule.StartPoll() };
                response = await _platform.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (NaraAuthException e) when (e.IsTransient && schedule.Failed(e.ErrorId))
            {
                continue;
            }

            switch (response.StatusCode)
            {
                case 200:
                    return ReadToken(response);
                case 202:
                    schedule.Pending();
                    continue;
                case 429:
                    var asked = response.RetryAfter(_clock.UtcNow);
                    // Asked to wait past our deadline: the code cannot be collected, so say so now.
                    if (schedule.IsBeyondDeadline(asked)) throw response.ToException("wait for the browser login");
                    schedule.SlowDown("The platform asked to poll more slowly (429)", SlowDownStep, asked);
                    continue;
                case 403:
                    throw new NaraAuthException("LoginDenied", NaraErrorCategory.PermissionDenied,
                        Text.DisplayText.EndSentence($"The login with code {start.Code} was refused in the browser{Reason(response, "access_denied")}"),
                        "Run Connect-EdgeConnector again and approve the request, or ask an administrator for access.");
                case 410:
                    throw new NaraAuthException("LoginCodeExpired", NaraErrorCategory.OperationTimeout,
                        Text.DisplayText.EndSentence($"The login code {start.Code} expired before it was approved{Reason(response, "expired_token")}"),
                        "Run Connect-EdgeConnector again and approve the request in time.");
                case >= 500 when schedule.Failed($"HTTP {response.StatusCode}", response.RetryAfter(_clock.UtcNow)):
                    continue;
                default:
                    throw response.ToException("wait for the browser login");
            }
        }
    }

    private static NaraAuthException Ended(DesktopLoginStart start, bool timedOutFirst, TimeSpan? loginTimeout, TimeSpan limit)
    {
        if (timedOutFirst && loginTimeout == null)
        {
            return new NaraAuthException("LoginTimedOut", NaraErrorCategory.OperationTimeout,
                $"Nobody approved the login with code {start.Code} within {Text.DurationText.Of(limit)}, NaraAuth's limit for one login (the platform would have waited until {Text.TimeText.Of(start.ExpiresAt)}).",
                "Run Connect-EdgeConnector again, or pass -LoginTimeoutSec to wait longer.");
        }
        if (timedOutFirst)
        {
            return new NaraAuthException("LoginTimedOut", NaraErrorCategory.OperationTimeout,
                $"Nobody approved the login with code {start.Code} within {loginTimeout!.Value.TotalSeconds:0.#} s (-LoginTimeoutSec).",
                "Run Connect-EdgeConnector again, or raise -LoginTimeoutSec.");
        }
        return new NaraAuthException("LoginCodeExpired", NaraErrorCategory.OperationTimeout,
            $"The login code {start.Code} expired at {Text.TimeText.Of(start.ExpiresAt)} before it was approved.",
            "Run Connect-EdgeConnector again and approve the request in time.");
    }

    private static string ReadToken(ApiResponse response)
    {
        using var document = response.Json();
        var token = JsonText.StringOf(document.RootElement, "token");
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                $"The platform approved the login but sent no 'token' (from {TokenPath}).", null, TokenPath);
        }
        return token!;
    }

    private static string Reason(ApiResponse response, string expectedCode)
    {
        var reason = response.ServerReason;
        return reason == null || reason == expectedCode ? string.Empty : ": " + reason;
    }

    private sealed class StartBody
    {
        public string? deviceName { get; set; }
        public string? deviceId { get; set; }
    }
}
