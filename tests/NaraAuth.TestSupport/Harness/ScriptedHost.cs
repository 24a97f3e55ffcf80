using System.Globalization;
using System.Management.Automation.Host;

namespace NaraAuth.TestSupport.Harness;

/// <summary>
/// A PSHost that records everything written to it and answers prompts from a script, so tests
/// can see -WhatIf text, host messages and progress, and answer -Confirm and Read-Host.
/// </summary>
public sealed class ScriptedHost : PSHost
{
    private readonly Guid _id = Guid.NewGuid();

    public ScriptedHostUI Recorder { get; } = new();
    public override PSHostUserInterface UI => Recorder;
    public override string Name => "NaraAuthTestHost";
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
