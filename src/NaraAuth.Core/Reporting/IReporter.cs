using System;

namespace NaraAuth.Core.Reporting;

/// <summary>
/// The one channel from Core to whoever runs it: what a flow wants a person to see while it works.
/// Each cmdlet call builds its own and hands it to the Core objects it creates (never a
/// process-wide instance), so two cmdlets running side by side never see each other's lines.
/// Implementations may be called from any thread. Nothing passed here is ever a secret.
/// </summary>
public interface IReporter
{
    /// <summary>Detail for those who ask for it (-Verbose): which file, which endpoint, why a retry.</summary>
    void Verbose(string text);

    /// <summary>Something the person should know although the call goes on (loose file rights, a changed course).</summary>
    void Warning(string text);

    /// <summary>
    /// A line the person must see to take part (the URL to open, the code to enter): shown even
    /// when the result is assigned to a variable.
    /// </summary>
    void Information(string text);

    /// <summary>
    /// The time left while waiting for a person; called about once a second. <paramref name="activity"/>
    /// names the wait, <paramref name="status"/> what is awaited.
    /// </summary>
    void Countdown(string activity, string status, TimeSpan left, TimeSpan total);
}

