using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace NaraAuth.TestSupport.Harness;

/// <summary>Records host output and progress; answers prompts from queues the test fills.</summary>
public sealed class ScriptedHostUI : PSHostUserInterface
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    /// <summary>Answers for Read-Host style prompts, in order; empty means "".</summary>
    public ConcurrentQueue<string> LineAnswers { get; } = new();
    /// <summary>Answers for PromptForChoice (-Confirm): choice labels such as "Y", "A", "N".</summary>
    public ConcurrentQueue<string> ChoiceAnswers { get; } = new();
    public ConcurrentQueue<ProgressRecord> Progress { get; } = new();
    public List<string> Prompts { get; } = new();

    public override PSHostRawUserInterface RawUI { get; } = new FixedSizeRawUI("NaraAuth tests");

    /// <summary>Everything written to the host so far.</summary>
    public string Text
    {
        get { lock (_gate) return _text.ToString(); }
    }

    private void Append(string value)
    {
        lock (_gate) _text.Append(value);
    }

    public override string ReadLine() => LineAnswers.TryDequeue(out var answer) ? answer : string.Empty;

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        foreach (var c in ReadLine()) secure.AppendChar(c);
        return secure;
    }

    public override void Write(string value) => Append(value);
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
    public override void WriteLine(string value) => Append(value + "\n");
    public override void WriteErrorLine(string value) => Append("ERROR: " + value + "\n");
    public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");
    public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");
    public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");
    // PSHOST-tagged records (Write-Host style) already arrived through Write/WriteLine.
    public override void WriteInformation(InformationRecord record)
    {
        if (!record.Tags.Contains("PSHOST")) Append(record.MessageData + "\n");
    }
    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        Progress.Enqueue(record);
        Append("PROGRESS: " + record.Activity + " | " + record.StatusDescription + " | " + record.CurrentOperation + "\n");
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        lock (_gate) Prompts.Add(caption + " " + message);
        Append(caption + "\n" + message + "\n");
        var result = new Dictionary<string, PSObject>();
        foreach (var field in descriptions) result[field.Name] = new PSObject(ReadLine());
        return result;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        lock (_gate) Prompts.Add(caption + " " + message);
        Append(caption + "\n" + message + "\n");
        if (!ChoiceAnswers.TryDequeue(out var answer)) return defaultChoice;
        for (var i = 0; i < choices.Count; i++)
        {
            var label = choices[i].Label.Replace("&", string.Empty);
            if (label.StartsWith(answer, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return defaultChoice;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        new(userName ?? "user", ReadLineAsSecureString());

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => PromptForCredential(caption, message, userName, targetName);
}
