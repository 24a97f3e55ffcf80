using System;
using System.Management.Automation;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Triggers a functional agent run (POST /api/agent/run) and returns it as a
/// <see cref="NaraAgentRunResult"/>. Takes the agent's Name from the pipeline, so Get-NaraAgent
/// output can be piped in.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "NaraAgentRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Start-NaraAgentRun.md")]
[OutputType(typeof(NaraAgentRunResult))]
public sealed class StartNaraAgentRunCommand : PlatformCmdlet
{
    /// <summary>The agent to run, e.g. summarizeTicket.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("AgentName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NaraAgentNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The run's arguments as a hashtable or object (sent as "args").</summary>
    [Parameter(Position = 1)]
    [Alias("Args")]
    public object? Arguments { get; set; }

    /// <summary>Retry the run after a lost answer (the agent may then run twice).</summary>
    [Parameter]
    public SwitchParameter RetryNonIdempotent { get; set; }

    protected override void ProcessNaraRecord()
    {
        var client = Client;
        if (!ShouldProcess($"functional agent '{Name}' on {client.Api.BaseUrl}", "Run")) return;
        var args = JsonBridge.FromPowerShell(Arguments);
        var result = Call((c, token) => c.RunAgentAsync(Name, args, RetryNonIdempotent, token));
        WriteObject(ModelMapping.ToRunResult(Name, result, client.Api.BaseUrl.ToString()));
    }
}
