using System.Management.Automation;
using NaraAuth.Core.Sessions;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
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
        var logout = new SavedLoginCatalog(Context.Environment, Context.Store).EdgePlaneLogout(Reporter);
        LogoutRunner.Run(this, logout, PassThru, ModelMapping.ToDisconnection);
    }
}
