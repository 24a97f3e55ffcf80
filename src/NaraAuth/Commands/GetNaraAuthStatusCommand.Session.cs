using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>Get-NaraAuthStatus -Session: every machine's credentials, each record naming its machine (docs/remoting.md).</summary>
public sealed partial class GetNaraAuthStatusCommand
{
    /// <summary>Report the credentials of these machines instead of this one's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public PSSession[]? Session { get; set; }

    /// <summary>With -Session: how many machines are asked at once (0: PowerShell's default, 32).</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int ThrottleLimit { get; set; }

    private SessionFanOut? _fanOut;

    private bool RunOnSessions()
    {
        if (Session == null) return false;
        var arguments = RemoteArguments.From(MyInvocation.BoundParameters, whatIf: false, supportsShouldProcess: false);
        _fanOut ??= new SessionFanOut(this, ThrottleLimit, StopToken);
        _fanOut.Run(Session, "Get-NaraAuthStatus", arguments, false, nameof(Path), nameof(InstallPath), nameof(CredentialsPath));
        return true;
    }
}
