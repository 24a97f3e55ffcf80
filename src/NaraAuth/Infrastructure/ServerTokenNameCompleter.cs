using NaraAuth.Core.Platform;

namespace NaraAuth.Infrastructure;

/// <summary>Completes server token names (Get-ServerToken -Name, Revoke-ServerToken -Name).</summary>
public sealed class ServerTokenNameCompleter : PlatformNameCompleter
{
    private protected override CompletionLookup.Kind Kind => CompletionLookup.Kind.ServerTokenName;
}
