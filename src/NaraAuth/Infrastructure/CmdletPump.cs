using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Lets async Core work run off the pipeline thread while everything it wants shown (progress,
/// host messages, verbose) is executed back on the pipeline thread, where PowerShell requires
/// Write* calls to happen. The pipeline thread wakes at least every 100 ms, so a stop request
/// (Ctrl+C) is acted on well within a second.
/// </summary>
internal sealed class CmdletPump
{
    private readonly BlockingCollection<Action> _actions = new();

    /// <summary>Queues an action for the pipeline thread. Safe from any thread.</summary>
    public void Post(Action action)
    {
        try
        {
            _actions.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The pump has finished; late messages are dropped.
        }
    }

    public T Run<T>(Task<T> task, CancellationToken stopToken)
    {
        // Wake the loop the moment the work ends, instead of at the next 100 ms tick: a cmdlet
        // that awaits several short calls would otherwise pay up to 100 ms for each.
        task.ContinueWith(_ => Post(() => { }), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            if (_actions.TryTake(out var action, 100)) action();
            if (stopToken.IsCancellationRequested)
            {
                // Give the work a moment to unwind (delete temp files), but never block long.
                try { task.Wait(500); } catch (AggregateException) { }
                break;
            }
        }
        _actions.CompleteAdding();
        while (_actions.TryTake(out var rest)) rest();
        if (!task.IsCompleted)
        {
            // Stopped, and the work has not unwound within the grace: the prompt comes back now
            // rather than whenever a busy thread pool gets round to finishing it. Its outcome is
            // observed so that nothing surfaces later as an unobserved exception.
            task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new OperationCanceledException(stopToken);
        }
        return task.GetAwaiter().GetResult();
    }
}
