using System.IO;
using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>Logs out of EdgePlane on this machine by deleting the saved session file.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "EdgePlane", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Disconnect-EdgePlane.md")]
[OutputType(typeof(void))]
public sealed class DisconnectEdgePlaneCommand : NaraCmdlet
{
    protected override void ProcessNaraRecord()
    {
        var path = EdgePlaneSession.DefaultPath(Context.Environment);
        if (!File.Exists(path))
        {
            // Logging out twice is not a failure: the goal (no session on disk) is met.
            WriteWarning($"There is no EdgePlane session at '{path}'; nothing to remove.");
            return;
        }
        if (!ShouldProcess(path, "Delete the EdgePlane session file")) return;
        try
        {
            File.Delete(path);
        }
        catch (System.Exception e) when (e is IOException || e is System.UnauthorizedAccessException)
        {
            throw new NaraAuthException("EdgePlaneSessionDeleteFailed", NaraErrorCategory.WriteError,
                $"Could not delete the EdgePlane session '{path}': {e.Message}",
                "Check the file's permissions and delete it by hand.", path, e);
        }
        WriteVerbose($"Deleted '{path}'. The session stays valid on the server until it expires or an administrator revokes it.");
    }
}
