using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Http;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Polling;

/// <summary>
/// When to ask again while a person finishes a login elsewhere: the one schedule of the desktop
/// login, the EdgePlane poll and the device code flow. It owns the deadline, the interval and
/// its slow-downs, Retry-After, the backoff after failures and their cap, and the wait itself:
/// in slices of at most a second through an injectable delay, so the countdown moves every
/// second, Ctrl+C ends the wait within a second, and tests run it on a fake clock. What an
/// answer means stays with each protocol; it tells the schedule through
/// <see cref="Pending"/>, <see cref="SlowDown"/> and <see cref="Failed"/>.
/// </summary>
public sealed class PollSchedule
{
    /// <summary>Failed polls in a row (network errors, 5xx) after which waiting stops with the last error.</summary>
    public const int DefaultMaxConsecutiveFailures = 5;
    /// <summary>The longest pace slow-downs and backoff may reach.</summary>
    public static readonly TimeSpan DefaultMaxInterval = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortestPollLimit = TimeSpan.FromSeconds(1);
    private readonly IClock _clock;
    private readonly IReporter _reporter;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly TimeSpan _start;
    private TimeSpan _pace;
    private TimeSpan _maxInterval = DefaultMaxInterval;

    /// <param name="deadline">When waiting ends, whatever the answers say.</param>
    /// <param name="interval">The pace while nothing goes wrong.</param>
    /// <param name="delay">Waits one slice; tests replace it to move a fake clock.</param>
    public PollSchedule(IClock clock, DateTimeOffset deadline, TimeSpan interval, IReporter? reporter = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        _clock = clock;
        _reporter = reporter ?? Reporter.None;
        _delay = delay ?? RealDelay;
        Deadline = deadline;
        var total = deadline - clock.UtcNow;
        Total = total > TimeSpan.Zero ? total : TimeSpan.Zero;
        _start = interval;
        _pace = interval;
        Interval = interval;
        NextWait = interval;
    }

    /// <summary>The real wait, cancelled at once by Ctrl+C.</summary>
    public static Task RealDelay(TimeSpan wait, CancellationToken cancellationToken) => Task.Delay(wait, cancellationToken);

    public DateTimeOffset Deadline { get; }
    /// <summary>The whole wait, from creation to the deadline: what the countdown counts down from.</summary>
    public TimeSpan Total { get; }
    /// <summary>The current pace: the starting interval plus slow-downs, plus backoff while polls fail.</summary>
    public TimeSpan Interval { get; private set; }
    /// <summary>How long <see cref="WaitAsync"/> waits next (the interval, or longer when the server asked for it).</summary>
    public TimeSpan NextWait { get; private set; }
    public int Polls { get; private set; }
    public int ConsecutiveFailures { get; private set; }

    public int MaxConsecutiveFailures { get; set; } = DefaultMaxConsecutiveFailures;

    /// <summary>The longest pace; a starting interval above it is kept as it is.</summary>
    public TimeSpan MaxInterval
    {
        get => _maxInterval > _start ? _maxInterval : _start;
        set => _maxInterval = value;
    }

    /// <summary>Double the pace after each failed poll (and return to it after an answer), as RFC 8628 3.5 asks.</summary>
    public bool BackOffOnFailure { get; set; }

    /// <summary>What the countdown shows while waiting.</summary>
    public string Activity { get; set; } = "Waiting";
    public string Status { get; set; } = "Waiting";

    public TimeSpan Left
    {
        get
        {
            var left = Deadline - _clock.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public bool IsOver => _clock.UtcNow >= Deadline;

    /// <summary>Whether a wait the server asked for ends after the deadline, so no answer can come in time.</summary>
    public bool IsBeyondDeadline(TimeSpan? asked) => asked is { } wait && wait > Deadline - _clock.UtcNow;

    /// <summary>
    /// Counts a poll and gives the wait's time limit on it (<see cref="ApiRequest.TimeLimit"/>):
    /// what is left of the wait, so no poll carries the login past its deadline, whatever
    /// -TimeoutSec says; but at least a second, so a poll at the very end can still be answered.
    /// </summary>
    public TimeSpan StartPoll()
    {
        Polls++;
        var left = Left;
        return left > ShortestPollLimit ? left : ShortestPollLimit;
    }

    /// <summary>A "not yet" answer: failures are forgiven, backoff ends, the next poll comes at the pace.</summary>
    public void Pending()
    {
        ConsecutiveFailures = 0;
        Interval = _pace;
        NextWait = Interval;
    }

    /// <summary>
    /// The server asked to poll more slowly: the pace grows by <paramref name="step"/> (doubles when
    /// null) for the rest of the wait. A Retry-After may lengthen the next wait, never shorten it.
    /// </summary>
    public void SlowDown(string reason, TimeSpan? step, TimeSpan? retryAfter = null)
    {
        ConsecutiveFailures = 0;
        _pace = Cap(step is { } s ? _pace + s : Double(_pace));
        Interval = _pace;
        NextWait = AtLeastInterval(retryAfter);
        _reporter.Verbose(reason + "; " + Pace() + (NextWait > Interval ? $" (the next poll in {Seconds(NextWait)} s, as asked by Retry-After)." : "."));
    }

    /// <summary>
    /// A poll failed in a way that may pass (a network error, a 5xx). Returns false when this is
    /// one failure too many in a row: the caller then ends the wait with this failure's error.
    /// </summary>
    public bool Failed(string why, TimeSpan? retryAfter = null)
    {
        ConsecutiveFailures++;
        if (ConsecutiveFailures >= MaxConsecutiveFailures) return false;
        var before = Interval;
        if (BackOffOnFailure) Interval = Cap(Double(Interval));
        NextWait = AtLeastInterval(retryAfter);
        _reporter.Verbose(RetryNotice.Text(Polls, NextWait, why, "Poll") + (Interval != before ? " " + Capitalized(Pace()) + "." : string.Empty));
        return true;
    }

    /// <summary>
    /// Waits <see cref="NextWait"/> (cut at the deadline) in slices of at most a second, showing the
    /// countdown before each slice. Throws when cancelled; returns early at the deadline.
    /// </summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var until = _clock.UtcNow + NextWait;
        if (until > Deadline) until = Deadline;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = _clock.UtcNow;
            _reporter.Countdown(Activity, Status, Deadline > now ? Deadline - now : TimeSpan.Zero, Total);
            var rest = until - now;
            if (rest <= TimeSpan.Zero) return;
            await _delay(rest < Slice ? rest : Slice, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan AtLeastInterval(TimeSpan? retryAfter) => retryAfter is { } asked && asked > Interval ? asked : Interval;

    private TimeSpan Cap(TimeSpan interval) => interval < MaxInterval ? interval : MaxInterval;

    private string Pace() => $"polling every {Seconds(Interval)} s now";

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan Double(TimeSpan t) => TimeSpan.FromTicks(t.Ticks * 2);
}
