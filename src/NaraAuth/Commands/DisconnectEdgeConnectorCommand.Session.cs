using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>Disconnect-EdgeConnector -Session: the same logout on many machines at once (docs/remoting.md).</summary>
public sealed partial class DisconnectEdgeConnectorCommand
{
    /// <summary>Run on these machines instead of this one; paths are as each machine sees them.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public PSSession[]? Session { get; set; }

    /// <summary>With -Session: how many machines are worked on at once (0: PowerShell's default, 32).</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int ThrottleLimit { get; set; }

    private SessionFanOut? _fanOut;

    private bool RunOnSessions()
    {
        if (Session == null) return false;
        var arguments = RemoteArguments.From(MyInvocation.BoundParameters, IsWhatIf(), supportsShouldProcess: true);
        _fanOut ??= new SessionFanOut(this, ThrottleLimit, StopToken);
        _fanOut.Run(Session, "Disconnect-EdgeConnector", arguments, IsWhatIf(), nameof(Path), nameof(InstallPath), nameof(DeploymentCredentialsPath));
        return true;
    }
}
