using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Tests;

/// <summary>Keeps everything Core reports, so a test can look at it; <see cref="OnCountdown"/> lets a test act mid-wait.</summary>
public sealed class RecordingReporter : IReporter
{
    public ConcurrentQueue<string> Verbose { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<string> Information { get; } = new();
    public ConcurrentQueue<(string Activity, string Status, TimeSpan Left, TimeSpan Total)> Countdowns { get; } = new();
    public Action<TimeSpan, TimeSpan>? OnCountdown { get; set; }

    /// <summary>The retry notices among the verbose lines, as (failed attempt, wait).</summary>
    public IReadOnlyList<(int Attempt, TimeSpan Wait)> Retries() =>
        Verbose.Select(line => Regex.Match(line, @"^\w+ (\d+) failed \(.*\); retrying in ([\d.]+) s\."))
            .Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value), TimeSpan.FromSeconds(double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))))
            .ToList();

    void IReporter.Verbose(string text) => Verbose.Enqueue(text);
    void IReporter.Warning(string text) => Warnings.Enqueue(text);
    void IReporter.Information(string text) => Information.Enqueue(text);

    void IReporter.Countdown(string activity, string status, TimeSpan left, TimeSpan total)
    {
        Countdowns.Enqueue((activity, status, left, total));
        OnCountdown?.Invoke(left, total);
    }
}
