using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Collections.ObjectModel;

namespace NaraAuth.Demo;

/// <summary>A minimal console PSHost: enough for Out-Default, progress and prompts in the demo.</summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();
    private readonly ConsoleHostUI _ui = new();
    public override PSHostUserInterface UI => _ui;
    public override string Name => "NaraAuthDemo";
    public override Version Version => new(1, 0);
    public override Guid InstanceId => _id;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }
}

internal sealed class ConsoleHostUI : PSHostUserInterface
{
    public override PSHostRawUserInterface RawUI { get; } = new FixedSizeRawUI("NaraAuth demo");
    public override string ReadLine() => Console.IsInputRedirected ? string.Empty : Console.ReadLine() ?? string.Empty;
    public override SecureString ReadLineAsSecureString()
    {
        var s = new SecureString();
        foreach (var c in ReadLine()) s.AppendChar(c);
        return s;
    }
    // Hosts other than pwsh's own get format accents as raw VT sequences; a log wants plain text.
    private static readonly System.Text.RegularExpressions.Regex Vt = new("\x1b\\[[0-9;]*m");
    private static string Plain(string value) => Console.IsOutputRedirected ? Vt.Replace(value, string.Empty) : value;

    public override void Write(string value) => Console.Write(Plain(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Plain(value));
    public override void WriteLine(string value) => Console.WriteLine(Plain(value));
    public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
    public override void WriteDebugLine(string message) => Console.WriteLine("DEBUG: " + message);
    public override void WriteVerboseLine(string message) => Console.WriteLine("VERBOSE: " + message);
    public override void WriteWarningLine(string message) => Console.WriteLine("WARNING: " + message);
    // The engine already wrote PSHOST-tagged records (Write-Host style) through WriteLine.
    public override void WriteInformation(InformationRecord record)
    {
        if (!record.Tags.Contains("PSHOST")) Console.WriteLine(record.MessageData);
    }
    private string? _lastProgress;

    // One line per change of status, since the demo's output is usually a log, not a window.
    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        if (record.RecordType == ProgressRecordType.Completed) return;
        var line = $"  [{record.Activity}] {record.StatusDescription}";
        if (line == _lastProgress) return;
        _lastProgress = line;
        Console.WriteLine(line);
    }
    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        var result = new Dictionary<string, PSObject>();
        foreach (var d in descriptions) result[d.Name] = new PSObject(ReadLine());
        return result;
    }
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
}
