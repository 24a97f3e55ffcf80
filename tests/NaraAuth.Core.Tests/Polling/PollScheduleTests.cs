using System.Diagnostics;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Polling;

namespace NaraAuth.Core.Tests.Polling;

/// <summary>The one polling schedule of the login waits, on a fake clock whose delay moves time: no test waits for real time but the Ctrl+C one.</summary>
public class PollScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class Fixture
    {
        public FakeClock Clock { get; } = new(T0);
        public List<TimeSpan> Slices { get; } = new();
        public RecordingReporter Reporter { get; } = new();

        public PollSchedule Schedule(double intervalSeconds = 2, double lifetimeSeconds = 60) =>
            new(Clock, T0.AddSeconds(lifetimeSeconds), TimeSpan.FromSeconds(intervalSeconds), Reporter, (wait, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                Slices.Add(wait);
                Clock.UtcNow += wait;
                return Task.CompletedTask;
            });

        public double Elapsed => (Clock.UtcNow - T0).TotalSeconds;
    }

    [Fact]
    public async Task A_wait_comes_in_slices_of_at_most_a_second_with_the_countdown_before_each()
    {
        var f = new Fixture();
        var schedule = f.Schedule(intervalSeconds: 2.5, lifetimeSeconds: 60);
        schedule.Activity = "Waiting for approval";
        schedule.Status = "Approve in the browser";
        await schedule.WaitAsync(CancellationToken.None);
        Assert.Equal(2.5, f.Elapsed);
        Assert.Equal(new[] { 1.0, 1.0, 0.5 }, f.Slices.Select(s => s.TotalSeconds));
        Assert.Equal(new[] { 60.0, 59.0, 58.0, 57.5 }, f.Reporter.Countdowns.Select(c => c.Left.TotalSeconds));
        Assert.All(f.Reporter.Countdowns, c => Assert.Equal(TimeSpan.FromSeconds(60), c.Total));
        Assert.All(f.Reporter.Countdowns, c => Assert.Equal(("Waiting for approval", "Approve in the browser"), (c.Activity, c.Status)));
    }

    [Fact]
    public async Task A_wait_ends_at_the_deadline_and_the_schedule_is_then_over()
    {
        var f = new Fixture();
        var schedule = f.Schedule(intervalSeconds: 30, lifetimeSeconds: 3);
        Assert.False(schedule.IsOver);
        await schedule.WaitAsync(CancellationToken.None);
        Assert.Equal(3.0, f.Elapsed);
        Assert.True(schedule.IsOver);
        Assert.Equal(TimeSpan.Zero, schedule.Left);
        Assert.Equal(TimeSpan.Zero, f.Reporter.Countdowns.Last().Left);
    }

    [Fact]
    public void A_slow_down_adds_its_step_for_good_up_to_the_cap_and_says_the_new_pace()
    {
        var f = new Fixture();
        var schedule = f.Schedule(intervalSeconds: 2);
        schedule.MaxInterval = TimeSpan.FromSeconds(10);
        schedule.SlowDown("The server asked to poll more slowly (429)", TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(7), schedule.Interval);
        Assert.Equal("The server asked to poll more slowly (429); polling every 7 s now.", f.Reporter.Verbose.Last());
        schedule.Pending();
        Assert.Equal(TimeSpan.FromSeconds(7), schedule.NextWait);
        schedule.SlowDown("again", TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.Interval);
        schedule.SlowDown("doubled", null);
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.Interval);

        var doubling = f.Schedule(intervalSeconds: 2);
        doubling.SlowDown("doubled", null);
        Assert.Equal(TimeSpan.FromSeconds(4), doubling.Interval);
    }

    [Fact]
    public void Retry_After_lengthens_the_next_wait_but_never_shortens_it()
    {
        var f = new Fixture();
        var schedule = f.Schedule(intervalSeconds: 2);
        schedule.SlowDown("slow", TimeSpan.FromSeconds(5), retryAfter: TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(20), schedule.NextWait);
        Assert.Contains("the next poll in 20 s, as asked by Retry-After", f.Reporter.Verbose.Last());
        schedule.SlowDown("slow", TimeSpan.FromSeconds(5), retryAfter: TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(12), schedule.NextWait);
        Assert.True(schedule.Failed("HTTP 503", TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(12), schedule.NextWait);
    }

    [Fact]
    public void A_Retry_After_past_the_deadline_is_recognised()
    {
        var f = new Fixture();
        var schedule = f.Schedule(lifetimeSeconds: 60);
        Assert.True(schedule.IsBeyondDeadline(TimeSpan.FromSeconds(61)));
        Assert.False(schedule.IsBeyondDeadline(TimeSpan.FromSeconds(60)));
        Assert.False(schedule.IsBeyondDeadline(null));
    }

    [Fact]
    public void Failures_in_a_row_are_capped_and_an_answer_forgives_them()
    {
        var f = new Fixture();
        var schedule = f.Schedule();
        for (var i = 1; i < PollSchedule.DefaultMaxConsecutiveFailures; i++)
        {
            schedule.StartPoll();
            Assert.True(schedule.Failed("HTTP 503"), $"failure {i} ended the wait");
        }
        schedule.Pending();
        Assert.Equal(0, schedule.ConsecutiveFailures);
        for (var i = 1; i < PollSchedule.DefaultMaxConsecutiveFailures; i++) Assert.True(schedule.Failed("PlatformUnreachable"));
        Assert.False(schedule.Failed("PlatformUnreachable"));
        // Without backoff the pace stays; the notice is the one retry wording of the module.
        Assert.Equal(TimeSpan.FromSeconds(2), schedule.Interval);
        Assert.Equal("Poll 1 failed (HTTP 503); retrying in 2 s.", f.Reporter.Verbose.First());
    }

    [Fact]
    public void Backoff_doubles_the_pace_up_to_the_cap_and_ends_with_the_next_answer()
    {
        var f = new Fixture();
        var schedule = f.Schedule(intervalSeconds: 2);
        schedule.BackOffOnFailure = true;
        schedule.MaxInterval = TimeSpan.FromSeconds(10);
        schedule.StartPoll();
        Assert.True(schedule.Failed("RequestTimedOut"));
        Assert.Equal("Poll 1 failed (RequestTimedOut); retrying in 4 s. Polling every 4 s now.", f.Reporter.Verbose.Last());
        Assert.True(schedule.Failed("RequestTimedOut"));
        Assert.True(schedule.Failed("RequestTimedOut"));
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.NextWait);
        schedule.Pending();
        Assert.Equal(TimeSpan.FromSeconds(2), schedule.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), schedule.NextWait);
    }

    [Fact]
    public void A_starting_interval_above_the_cap_is_kept()
    {
        var f = new Fixture();
        var schedule = f.Schedule(intervalSeconds: 120, lifetimeSeconds: 900);
        schedule.SlowDown("slow", TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(120), schedule.Interval);
    }

    [Fact]
    public async Task A_polls_time_limit_is_what_is_left_of_the_wait()
    {
        var f = new Fixture();
        var schedule = f.Schedule(intervalSeconds: 10, lifetimeSeconds: 100);
        Assert.Equal(TimeSpan.FromSeconds(100), schedule.StartPoll());
        for (var i = 0; i < 9; i++) await schedule.WaitAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.StartPoll());
        await schedule.WaitAsync(CancellationToken.None);
        Assert.True(schedule.IsOver);
        // Even at the deadline a poll gets a second to answer.
        Assert.Equal(TimeSpan.FromSeconds(1), schedule.StartPoll());
        Assert.Equal(3, schedule.Polls);
    }

    [Fact]
    public async Task Cancellation_ends_a_wait_between_slices()
    {
        var f = new Fixture();
        var schedule = f.Schedule(intervalSeconds: 30, lifetimeSeconds: 600);
        using var cts = new CancellationTokenSource();
        f.Reporter.OnCountdown = (left, _) => { if (left <= TimeSpan.FromSeconds(597)) cts.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => schedule.WaitAsync(cts.Token));
        Assert.Equal(3.0, f.Elapsed);
    }

    [Fact]
    public async Task Ctrl_C_ends_a_real_wait_within_a_second()
    {
        var schedule = new PollSchedule(SystemClock.Instance, DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(5));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => schedule.WaitAsync(cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"The wait took {watch.ElapsedMilliseconds} ms to end");
    }
}
