using System.Net;
using System.Net.Http;
using System.Text;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Polling;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Core.Tests.EdgeConnector;

/// <summary>The polling loop of docs/protocol.md 1.1 on a fake clock against the emulator: no test waits for real time.</summary>
public class DesktopLoginFlowTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class FakeClock : IClock
    {
        public DateTimeOffset UtcNow { get; set; } = T0;
    }

    /// <summary>
    /// The platform of these tests: the emulator over real HTTP, whose answers to the polls are
    /// queued as faults in order. <see cref="PollTimes"/> says when each poll came, on the fake clock.
    /// </summary>
    private sealed class ScriptedPlatform
    {
        private const string PollPath = "/api/auth/desktop/session/token";
        private readonly EmulatorServer _server;
        private readonly FakeClock _clock;
        private int _seen;

        public ScriptedPlatform(EmulatorServer server, FakeClock clock)
        {
            _server = server;
            _clock = clock;
            _seen = Polls;
        }

        private readonly List<TimeSpan> _pollTimes = new();

        /// <summary>When each poll came; read after the flow, whose clock has not moved since its last poll.</summary>
        public List<TimeSpan> PollTimes
        {
            get
            {
                Observe();
                return _pollTimes;
            }
        }

        /// <summary>Polls the emulator has answered so far.</summary>
        public int Polls => _server.State.Faults.CountOf("GET", PollPath);

        public ScriptedPlatform Then(HttpStatusCode status, string body, int? retryAfter = null)
        {
            _server.State.Faults.Add(new FaultRule { PathPrefix = PollPath, Method = "GET", Status = (int)status, Body = body, RetryAfterSeconds = retryAfter });
            return this;
        }

        public ScriptedPlatform ThenDrop()
        {
            _server.State.Faults.Add(new FaultRule { PathPrefix = PollPath, Method = "GET", Drop = true });
            return this;
        }

        public ScriptedPlatform Pending(int times)
        {
            _server.State.Faults.Add(new FaultRule { PathPrefix = PollPath, Method = "GET", Status = 202, Body = "{\"status\":\"pending\"}", Count = times });
            return this;
        }

        /// <summary>The fake clock does not move while a poll is sent, so a poll seen now came at the clock's time.</summary>
        public void Observe()
        {
            for (var polls = Polls; _seen < polls; _seen++) _pollTimes.Add(_clock.UtcNow - T0);
        }
    }

    private EmulatorServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync();
    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private (DesktopLoginFlow Flow, ScriptedPlatform Platform, FakeClock Clock, List<TimeSpan> Waits) Create() => Create(new RecordingReporter());

    private (DesktopLoginFlow Flow, ScriptedPlatform Platform, FakeClock Clock, List<TimeSpan> Waits) Create(RecordingReporter reporter)
    {
        var clock = new FakeClock();
        var platform = new ScriptedPlatform(_server, clock);
        var api = new ApiClient(_server.BaseUrl, retry: new RetryOptions { MaxRetries = 0 }, clock: clock);
        var waits = new List<TimeSpan>();
        var flow = new DesktopLoginFlow(api, clock, (wait, ct) =>
        {
            platform.Observe();
            ct.ThrowIfCancellationRequested();
            waits.Add(wait);
            clock.UtcNow += wait;
            return Task.CompletedTask;
        }, reporter);
        return (flow, platform, clock, waits);
    }

    private static DesktopLoginStart Start(double intervalSeconds = 2, int lifetimeSeconds = 600) =>
        new("WDJB-MJHT", "https://app.nara.de/desktop/approve?code=WDJB-MJHT", T0.AddSeconds(lifetimeSeconds), TimeSpan.FromSeconds(intervalSeconds));

    [Fact]
    public async Task A_far_expiresAt_is_waited_only_up_to_the_local_limit()
    {
        var (flow, platform, clock, _) = Create();
        platform.Pending(20);
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            flow.WaitForTokenAsync(Start(intervalSeconds: 60, lifetimeSeconds: int.MaxValue), null, TestContext.Current.CancellationToken));
        Assert.Equal("LoginTimedOut", error.ErrorId);
        Assert.Contains("15 min", error.Message);
        Assert.Equal(T0 + DesktopLoginFlow.DefaultMaxWait, clock.UtcNow);
    }

    [Fact]
    public async Task A_Retry_After_past_the_deadline_fails_at_once_with_the_servers_time()
    {
        var (flow, platform, clock, _) = Create();
        platform.Then((HttpStatusCode)429, "{\"error\":\"slow_down\"}", retryAfter: 86400);
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            flow.WaitForTokenAsync(Start(), null, TestContext.Current.CancellationToken));
        Assert.Equal("TooManyRequests", error.ErrorId);
        Assert.Contains("24 h (Retry-After)", error.Message);
        Assert.Equal(T0 + TimeSpan.FromSeconds(2), clock.UtcNow);
    }

    [Fact]
    public async Task Pending_answers_are_polled_at_the_interval_until_the_token_arrives()
    {
        var (flow, platform, _, waits) = Create();
        platform.Pending(2).Then(HttpStatusCode.OK, "{\"token\":\"a.b.c\"}");
        var token = await flow.WaitForTokenAsync(Start(intervalSeconds: 3), null, TestContext.Current.CancellationToken);
        Assert.Equal("a.b.c", token);
        Assert.Equal(new[] { 3.0, 6.0, 9.0 }, platform.PollTimes.Select(t => t.TotalSeconds));
        // Waits come in slices of at most a second, so progress and Ctrl+C stay responsive.
        Assert.All(waits, w => Assert.True(w <= TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_429_adds_five_seconds_for_the_rest_of_the_flow_and_Retry_After_can_ask_for_more()
    {
        var (flow, platform, _, _) = Create();
        platform.Pending(1)
            .Then((HttpStatusCode)429, "{}")                    // interval 2 -> 7
            .Pending(1)
            .Then((HttpStatusCode)429, "{}", retryAfter: 20)    // interval 7 -> 12, but wait 20 this time
            .Pending(1)
            .Then(HttpStatusCode.OK, "{\"token\":\"a.b.c\"}");
        await flow.WaitForTokenAsync(Start(), null, TestContext.Current.CancellationToken);
        var gaps = platform.PollTimes.Zip(platform.PollTimes.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        Assert.Equal(2, platform.PollTimes[0].TotalSeconds);
        // pending, 429 (then every 7 s), pending, 429 with Retry-After 20 (then every 12 s), pending, token
        Assert.Equal(new[] { 2.0, 7.0, 7.0, 20.0, 12.0 }, gaps);
    }

    [Fact]
    public async Task Retry_After_shorter_than_the_slowed_interval_does_not_speed_polling_up()
    {
        var (flow, platform, _, _) = Create();
        platform.Then((HttpStatusCode)429, "{}", retryAfter: 1).Then(HttpStatusCode.OK, "{\"token\":\"a.b.c\"}");
        await flow.WaitForTokenAsync(Start(), null, TestContext.Current.CancellationToken);
        Assert.Equal(7.0, (platform.PollTimes[1] - platform.PollTimes[0]).TotalSeconds);
    }

    [Theory]
    [InlineData(403, "{\"error\":\"access_denied\"}", "LoginDenied", NaraErrorCategory.PermissionDenied)]
    [InlineData(410, "{\"error\":\"expired_token\"}", "LoginCodeExpired", NaraErrorCategory.OperationTimeout)]
    [InlineData(400, "{\"error\":\"invalid_request\",\"error_description\":\"bad code\"}", "UnexpectedStatus", NaraErrorCategory.ProtocolError)]
    public async Task Final_answers_end_the_flow_with_their_own_error(int status, string body, string errorId, NaraErrorCategory category)
    {
        var (flow, platform, _, _) = Create();
        platform.Pending(1).Then((HttpStatusCode)status, body);
        var e = await Assert.ThrowsAsync<NaraAuthException>(() => flow.WaitForTokenAsync(Start(), null, TestContext.Current.CancellationToken));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(category, e.Category);
    }

    [Fact]
    public async Task The_wait_ends_by_itself_at_expiresAt_without_a_poll_after_it()
    {
        var (flow, platform, clock, _) = Create();
        platform.Pending(100);
        var e = await Assert.ThrowsAsync<NaraAuthException>(() => flow.WaitForTokenAsync(Start(intervalSeconds: 4, lifetimeSeconds: 10), null, TestContext.Current.CancellationToken));
        Assert.Equal("LoginCodeExpired", e.ErrorId);
        Assert.Equal(new[] { 4.0, 8.0 }, platform.PollTimes.Select(t => t.TotalSeconds));
        Assert.Equal(T0.AddSeconds(10), clock.UtcNow);
    }

    [Fact]
    public async Task LoginTimeoutSec_before_expiry_is_a_timeout_not_an_expiry()
    {
        var (flow, platform, clock, _) = Create();
        platform.Pending(100);
        var e = await Assert.ThrowsAsync<NaraAuthException>(() => flow.WaitForTokenAsync(Start(), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.Equal("LoginTimedOut", e.ErrorId);
        Assert.Equal(NaraErrorCategory.OperationTimeout, e.Category);
        Assert.Equal(T0.AddSeconds(5), clock.UtcNow);
    }

    [Fact]
    public async Task Transient_failures_are_tolerated_a_few_times_in_a_row()
    {
        var (flow, platform, _, _) = Create();
        platform.ThenDrop().Then(HttpStatusCode.BadGateway, "{}").Pending(1).Then(HttpStatusCode.OK, "{\"token\":\"a.b.c\"}");
        Assert.Equal("a.b.c", await flow.WaitForTokenAsync(Start(), null, TestContext.Current.CancellationToken));

        var (flow2, platform2, _, _) = Create();
        for (var i = 0; i < PollSchedule.DefaultMaxConsecutiveFailures; i++) platform2.Then(HttpStatusCode.ServiceUnavailable, "{\"detail\":\"maintenance\"}");
        var e = await Assert.ThrowsAsync<NaraAuthException>(() => flow2.WaitForTokenAsync(Start(), null, TestContext.Current.CancellationToken));
        Assert.Equal("ServerError", e.ErrorId);
        Assert.Contains("maintenance", e.Message);
    }

    [Fact]
    public async Task Approved_answer_without_a_token_is_a_protocol_error()
    {
        var (flow, platform, _, _) = Create();
        platform.Then(HttpStatusCode.OK, "{\"status\":\"ok\"}");
        var e = await Assert.ThrowsAsync<NaraAuthException>(() => flow.WaitForTokenAsync(Start(), null, TestContext.Current.CancellationToken));
        Assert.Equal("MalformedServerResponse", e.ErrorId);
        var (flow2, platform2, _, _) = Create();
        platform2.Then(HttpStatusCode.OK, "{ not json");
        Assert.Equal("MalformedServerResponse", (await Assert.ThrowsAsync<NaraAuthException>(() => flow2.WaitForTokenAsync(Start(), null, TestContext.Current.CancellationToken))).ErrorId);
    }

    [Fact]
    public async Task Progress_counts_down_to_the_deadline()
    {
        var reporter = new RecordingReporter();
        var (flow, platform, _, _) = Create(reporter);
        platform.Pending(2).Then(HttpStatusCode.OK, "{\"token\":\"a.b.c\"}");
        await flow.WaitForTokenAsync(Start(lifetimeSeconds: 60), null, TestContext.Current.CancellationToken);
        var seen = reporter.Countdowns.Select(c => (Remaining: c.Left, Lifetime: c.Total)).ToList();
        Assert.Equal(TimeSpan.FromSeconds(60), seen[0].Remaining);
        Assert.Equal(TimeSpan.FromSeconds(60), seen[0].Lifetime);
        Assert.Equal(TimeSpan.FromSeconds(54), seen[^1].Remaining);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.Remaining <= p.First.Remaining));
    }

    [Fact]
    public async Task Cancellation_stops_the_wait()
    {
        var reporter = new RecordingReporter();
        var (flow, platform, _, _) = Create(reporter);
        platform.Pending(100);
        using var cts = new CancellationTokenSource();
        reporter.OnCountdown = (_, _) => { if (platform.Polls == 2) cts.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flow.WaitForTokenAsync(Start(), null, cts.Token));
        Assert.Equal(2, platform.Polls);
    }
}
