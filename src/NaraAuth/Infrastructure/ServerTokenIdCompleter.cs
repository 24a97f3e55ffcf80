using NaraAuth.Core.Platform;

namespace NaraAuth.Infrastructure;

/// <summary>Completes server token ids (Get-ServerToken -Id, Revoke-ServerToken -Id).</summary>
public sealed class ServerTokenIdCompleter : PlatformNameCompleter
{
    private protected override CompletionLookup.Kind Kind => CompletionLookup.Kind.ServerTokenId;
}
