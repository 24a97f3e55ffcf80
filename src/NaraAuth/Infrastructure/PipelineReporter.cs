using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Text;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Core's reporter for one cmdlet call: verbose, warnings, lines for the person and countdowns
/// become the cmdlet's Write* calls. Core reports from the work's thread, so while
/// <see cref="NaraCmdlet.RunAsync{T}"/> runs each report is posted to its <see cref="CmdletPump"/>
/// and written on the pipeline thread; on the pipeline thread itself it is written at once.
/// A report that arrives after the work ended is dropped.
/// </summary>
internal sealed class PipelineReporter : IReporter
{
    /// <summary>One progress bar per cmdlet: its waits follow one another, never overlap.</summary>
    private const int CountdownId = 1;
    private readonly NaraCmdlet _cmdlet;
    private volatile int _pipelineThread = Thread.CurrentThread.ManagedThreadId;
    private volatile CmdletPump? _pump;
    private string? _openCountdown;

    public PipelineReporter(NaraCmdlet cmdlet) => _cmdlet = cmdlet;

    // Core's lines often quote a server (a login code, a provider's URL, an error description):
    // this is where they meet the person, so escape sequences and control characters end here.
    public void Verbose(string text) => Show(() => _cmdlet.WriteVerbose(DisplayText.ForConsole(text)));

    public void Warning(string text) => Show(() => _cmdlet.WriteWarning(DisplayText.ForConsole(text)));

    /// <summary>
    /// A line for the person. After Ctrl+C the pipeline takes no more records, but what the work
    /// says as it unwinds (that the login was cancelled) still reaches the person through the host.
    /// </summary>
    public void Information(string text) => Show(() =>
    {
        if (_cmdlet.StopRequested) _cmdlet.Host?.UI?.WriteLine(text);
        else _cmdlet.WriteHostLine(text);
    }, evenWhenStopping: true);

    public void Countdown(string activity, string status, TimeSpan left, TimeSpan total) => Show(() =>
    {
        _openCountdown = activity;
        _cmdlet.WriteProgress(CountdownRecord(DisplayText.ForConsole(activity), DisplayText.ForConsole(status), left, total));
    });

    /// <summary>
    /// Runs <paramref name="question"/> (a prompt at the host) on the pipeline thread, where the host
    /// may be used, and hands its answer to the work waiting on another thread.
    /// </summary>
    public Task<T> Ask<T>(Func<T> question, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        Show(() =>
        {
            try
            {
                answer.TrySetResult(question());
            }
            catch (Exception e)
            {
                answer.TrySetException(e);
            }
        });
        return answer.Task;
    }

    /// <summary>The one countdown bar: "status (m:ss left)", with seconds and percent for the host.</summary>
    public static ProgressRecord CountdownRecord(string activity, string status, TimeSpan left, TimeSpan total)
    {
        var done = total.TotalSeconds <= 0 ? 100 : (int)Math.Round(100 * (1 - left.TotalSeconds / total.TotalSeconds));
        return new ProgressRecord(CountdownId, activity, $"{status} ({DurationText.Clock(left)} left)")
        {
            PercentComplete = Math.Min(100, Math.Max(0, done)),
            SecondsRemaining = (int)Math.Max(0, Math.Ceiling(left.TotalSeconds)),
        };
    }

    /// <summary>Called on the pipeline thread: from now on reports from other threads go through <paramref name="pump"/>.</summary>
    internal void Attach(CmdletPump pump)
    {
        _pipelineThread = Thread.CurrentThread.ManagedThreadId;
        _pump = pump;
    }

    /// <summary>The work has ended: later reports are dropped, and a countdown still shown is completed.</summary>
    internal void Detach()
    {
        _pump = null;
        if (_openCountdown == null) return;
        var activity = _openCountdown;
        _openCountdown = null;
        try
        {
            _cmdlet.WriteProgress(new ProgressRecord(CountdownId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C: the pipeline is gone, and with it the bar.
        }
    }

    private void Show(Action write, bool evenWhenStopping = false)
    {
        void Guarded()
        {
            // Stopped: records would throw PipelineStoppedException and cut off the lines after them.
            if (_cmdlet.StopRequested && !evenWhenStopping) return;
            write();
        }
        if (Thread.CurrentThread.ManagedThreadId == _pipelineThread) Guarded();
        else _pump?.Post(Guarded);
    }
}
