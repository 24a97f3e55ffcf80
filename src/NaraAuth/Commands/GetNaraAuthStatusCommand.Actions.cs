using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NaraAuth.Core.Status;

namespace NaraAuth.Commands;

/// <summary>Get-NaraAuthStatus flags what needs action: NeedsAction and Action on every record, and server tokens due for rotation.</summary>
public sealed partial class GetNaraAuthStatusCommand
{
    /// <summary>A credential that expires within this window needs action now (default 10 minutes, as Get-AuthToken).</summary>
    [Parameter]
    public TimeSpan WarningWindow { get; set; } = Core.Tokens.ExpiryNotice.DefaultWarningWindow;

    /// <summary>Also list the organization's server tokens older than this (e.g. 90 days), when the platform credential can list them.</summary>
    [Parameter]
    public TimeSpan RotationAge { get; set; }

    private IEnumerable<CredentialStatus> WithActions(IReadOnlyList<CredentialStatus> statuses, CredentialQuery query)
    {
        var now = Context.Clock.UtcNow;
        foreach (var status in statuses) CredentialActions.Assess(status, now, WarningWindow);
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(RotationAge))) return statuses;
        return statuses.Concat(RunAsync(token => CredentialActions.ServerTokensDueAsync(Context, query.BaseUrl, query.InstallPath, RotationAge, Reporter, token)));
    }
}
