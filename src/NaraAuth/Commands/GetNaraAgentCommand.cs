using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NaraAuth.Core.Platform;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Lists the functional agents the credential may run (GET /api/agent/run).</summary>
[Cmdlet(VerbsCommon.Get, "NaraAgent", HelpUri = HelpLinks.Base + "Get-NaraAgent.md")]
[OutputType(typeof(NaraAgentInfo))]
public sealed class GetNaraAgentCommand : PlatformCmdlet
{
    /// <summary>Agent names; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NaraAgentNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessNaraRecord()
    {
        var agents = Call((client, token) => client.ListAgentsAsync(token));
        IEnumerable<AgentRecord> selected = agents;
        if (Name != null)
        {
            selected = WildcardNameFilter.Apply(agents, Name, a => a.Name, literal => WriteNaraError(PlatformClient.NaraAgentNotFound(literal)));
        }
        foreach (var agent in selected) WriteObject(ModelMapping.ToInfo(agent));
    }
}
