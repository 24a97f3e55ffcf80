using System.IO;
using System.Management.Automation;
using NaraAuth.Core.Sessions;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>Logs out of EdgePlane on this machine by deleting the saved session file.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "EdgePlane", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class DisconnectEdgePlaneCommand : NaraCmdlet
{
    protected override void ProcessNaraRecord()
    {
        var path = new SavedLoginCatalog(Context.Environment, Context.Store).EdgePlanePath;
        if (!File.Exists(path))
        {
            // Logging out twice is not a failure: the goal (no session on disk) is met.
            WriteWarning($"There is no EdgePlane session at '{path}'; nothing to remove.");
            return;
        }
        if (!ShouldProcess(path, "Delete the EdgePlane session file")) return;
        SavedLoginCatalog.Delete(new[] { path }, "EdgePlaneSessionDeleteFailed");
        WriteVerbose($"Deleted '{path}'. The session stays valid on the server until it expires or an administrator revokes it.");
    }
}
