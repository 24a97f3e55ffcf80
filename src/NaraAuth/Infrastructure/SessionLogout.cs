using System.Collections.Generic;
using System.IO;
using System.Linq;
using NaraAuth.Core.Sessions;
using NaraAuth.Models;

namespace NaraAuth.Infrastructure;

/// <summary>
/// The logout both session Disconnect- cmdlets share, and that Disconnect-EdgeConnector matches:
/// nothing to remove is no error but a verbose note (the goal, no session on disk, is met), and
/// -PassThru reports NotConnected, Disconnected or WhatIf.
/// </summary>
internal static class SessionLogout
{
    /// <param name="beforeDelete">What happens once the deletion is confirmed, before the files go (ending the login at its provider); it records its outcome on the result and never stops the deletion.</param>
    public static void Run(NaraCmdlet cmdlet, string session, IReadOnlyList<string> files, string action, string deleteErrorId, bool passThru, string afterNote,
        System.Action<SessionDisconnection>? beforeDelete = null)
    {
        var present = files.Where(File.Exists).ToList();
        var result = new SessionDisconnection { Path = session };
        if (present.Count == 0)
        {
            cmdlet.WriteVerbose($"Not connected: there is no saved session at '{session}'; nothing to remove.");
            result.Status = DisconnectStatus.NotConnected;
        }
        else if (cmdlet.ShouldProcess(session, action))
        {
            beforeDelete?.Invoke(result);
            var deleted = SavedLoginCatalog.Delete(present, deleteErrorId).ToArray();
            foreach (var file in deleted) cmdlet.WriteVerbose($"Deleted '{file}'.");
            cmdlet.WriteVerbose(afterNote);
            result.Status = DisconnectStatus.Disconnected;
            result.Removed = deleted;
        }
        else
        {
            result.Status = DisconnectStatus.WhatIf;
        }
        if (passThru) cmdlet.WriteObject(result);
    }
}
