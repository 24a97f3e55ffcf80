using System.Management.Automation;
using System.Text;

namespace NaraAuth.TestSupport.Harness;

/// <summary>Everything one invocation produced, stream by stream.</summary>
public sealed class PsResult
{
    public required IReadOnlyList<PSObject> Output { get; init; }
    public required IReadOnlyList<ErrorRecord> Errors { get; init; }
    public required IReadOnlyList<WarningRecord> Warnings { get; init; }
    public required IReadOnlyList<VerboseRecord> Verbose { get; init; }
    public required IReadOnlyList<DebugRecord> Debug { get; init; }
    public required IReadOnlyList<InformationRecord> Information { get; init; }
    public required IReadOnlyList<ProgressRecord> Progress { get; init; }
    /// <summary>What the host UI received during this invocation.</summary>
    public required string HostText { get; init; }
    /// <summary>A terminating error, if the script stopped with one.</summary>
    public RuntimeException? Terminating { get; init; }
    /// <summary>The session that produced this result, for the scan of $Error and the transcript.</summary>
    public PsSession? Session { get; init; }

    /// <summary>The first error, terminating or not.</summary>
    public ErrorRecord? Error => Terminating?.ErrorRecord ?? Errors.FirstOrDefault();

    public T Single<T>()
    {
        Assert.True(Terminating == null, "Unexpected terminating error: " + Terminating?.Message + " [" + Terminating?.ErrorRecord?.FullyQualifiedErrorId + "]");
        Assert.True(Errors.Count == 0, "Unexpected errors: " + string.Join("; ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var item = Assert.Single(Output);
        return Assert.IsAssignableFrom<T>(item.BaseObject);
    }

    /// <summary>Asserts the invocation failed with this error id (the part before the comma of the FullyQualifiedErrorId).</summary>
    public ErrorRecord AssertError(string errorId, ErrorCategory? category = null)
    {
        var record = Error;
        Assert.True(record != null, $"Expected error {errorId}, but none was written. Host text: {HostText}");
        var id = record!.FullyQualifiedErrorId.Split(',')[0];
        Assert.True(errorId == id, $"Expected error {errorId} but got {record.FullyQualifiedErrorId}: {record.Exception?.Message}");
        if (category != null) Assert.Equal(category, record.CategoryInfo.Category);
        return record;
    }

    /// <summary>What to look for: the secret, and each line of a multi-line one (a PEM key may leak a line at a time).</summary>
    internal static string[] SecretNeedles(string secret) =>
        new[] { secret }.Concat(secret.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Where(l => l.Trim().Length >= 8))
            .Distinct().ToArray();

    /// <summary>All text of every stream, the host and every error (messages, details, recommended actions).</summary>
    public string AllText()
    {
        var sb = new StringBuilder();
        foreach (var o in Output) sb.AppendLine(o?.ToString());
        foreach (var e in Errors.Concat(Terminating?.ErrorRecord is { } t ? new[] { t } : Array.Empty<ErrorRecord>()))
        {
            sb.AppendLine(e.ToString()).AppendLine(e.Exception?.ToString()).AppendLine(e.ErrorDetails?.Message)
              .AppendLine(e.ErrorDetails?.RecommendedAction).AppendLine(e.TargetObject?.ToString()).AppendLine(e.CategoryInfo.ToString());
        }
        if (Terminating != null) sb.AppendLine(Terminating.ToString());
        foreach (var w in Warnings) sb.AppendLine(w.Message);
        foreach (var v in Verbose) sb.AppendLine(v.Message);
        foreach (var d in Debug) sb.AppendLine(d.Message);
        foreach (var i in Information) sb.AppendLine(i.MessageData?.ToString());
        foreach (var p in Progress) sb.AppendLine(p.Activity).AppendLine(p.StatusDescription).AppendLine(p.CurrentOperation);
        sb.AppendLine(HostText);
        return sb.ToString();
    }

    /// <summary>
    /// Fails if the secret appears anywhere a person or a log could see it: every stream of this
    /// invocation (output, error, warning, verbose, debug, information, progress, host), each
    /// error's Exception.ToString(), and for the whole session <c>$Error | Format-List * -Force</c>
    /// and the Start-Transcript file. The CI masking command is the one place a secret is meant to
    /// be printed, so lines carrying it are skipped. A multi-line secret is looked for line by line.
    /// </summary>
    public void AssertNoSecret(string secret)
    {
        Assert.False(string.IsNullOrEmpty(secret));
        var text = AllText() + "\n" + Session?.ForensicText();
        var lines = text.Split('\n').Where(l => !l.StartsWith("##vso[task.setsecret]", StringComparison.Ordinal) && !l.StartsWith("::add-mask::", StringComparison.Ordinal));
        foreach (var line in lines)
            foreach (var needle in SecretNeedles(secret))
                Assert.False(line.Contains(needle, StringComparison.Ordinal), "A secret leaked into a stream: " + line.Replace(needle, "<SECRET>"));
    }
}
