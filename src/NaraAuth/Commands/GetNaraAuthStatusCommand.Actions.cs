using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Status;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Commands;

/// <summary>Get-NaraAuthStatus flags what needs action: NeedsAction and Action on every record, and server tokens due for rotation.</summary>
public sealed partial class GetNaraAuthStatusCommand
{
    /// <summary>A credential that expires within this window needs action now (default 10 minutes, as Get-AuthToken).</summary>
    [Parameter]
    public TimeSpan WarningWindow { get; set; } = CredentialActions.DefaultWarningWindow;

    /// <summary>Also list the organization's server tokens older than this (e.g. 90 days), when the platform credential can list them.</summary>
    [Parameter]
    public TimeSpan RotationAge { get; set; }

    private IEnumerable<CredentialStatus> WithActions(IReadOnlyList<CredentialStatus> statuses)
    {
        var now = Context.Clock.UtcNow;
        foreach (var status in statuses) CredentialActions.Assess(status, now, WarningWindow);
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(RotationAge))) return statuses;
        return statuses.Concat(ServerTokensDue(now));
    }

    private IReadOnlyList<CredentialStatus> ServerTokensDue(DateTimeOffset now)
    {
        CredentialActions.CheckRotationAge(RotationAge);
        PlatformClient client;
        try
        {
            var location = TokenLocation.Resolve(Context.Environment, null, InstallPath, Context.CurrentDirectory);
            var credential = PlatformCredential.Resolve(null, InstallPath, Context);
            client = new PlatformClient(new ApiClient(PlatformUrl.Resolve(BaseUrl, Context.Environment, location.Config), reporter: Reporter), credential);
        }
        catch (NaraAuthException e)
        {
            WriteWarning($"The server tokens' age was not checked: {e.Message}");
            return Array.Empty<CredentialStatus>();
        }
        return RunAsync(token => CredentialActions.ServerTokensDueAsync(client, RotationAge, now, note => Reporter.Warning(note), token));
    }
}
