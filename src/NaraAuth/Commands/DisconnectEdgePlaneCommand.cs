using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Logs out of EdgePlane on this machine by deleting the saved session file.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "EdgePlane", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Disconnect-EdgePlane.md")]
[OutputType(typeof(SessionDisconnection))]
public sealed class DisconnectEdgePlaneCommand : NaraCmdlet
{
    /// <summary>Return a SessionDisconnection saying what was removed, or that nothing was there.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessNaraRecord()
    {
        var path = EdgePlaneSession.DefaultPath(Context.Environment);
        SessionLogout.Run(this, path, new[] { path }, "Delete the EdgePlane session file", "EdgePlaneSessionDeleteFailed", PassThru,
            "The session stays valid on the server until it expires or an administrator revokes it.");
    }
}
