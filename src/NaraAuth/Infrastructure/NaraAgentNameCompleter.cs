using NaraAuth.Core.Platform;

namespace NaraAuth.Infrastructure;

/// <summary>Completes functional agent names (Get-NaraAgent -Name, Start-NaraAgentRun -Name).</summary>
public sealed class NaraAgentNameCompleter : PlatformNameCompleter
{
    private protected override CompletionLookup.Kind Kind => CompletionLookup.Kind.AgentName;
}
