using System;
using System.IO;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Whether the runtime account can get to a file written for it: owning the file is not enough
/// when a folder on the way (root's 0700 home, say) does not let it through. Judged on Unix by the
/// search bit that applies to the account (owner, its primary group, or others); membership of
/// other groups is not looked up, so the answer is a warning, never a refusal. Windows grants
/// traversal to everyone by default (bypass traverse checking), so there is nothing to judge.
/// </summary>
public static class RuntimeReach
{
    private const int OwnerSearch = 0x40;
    private const int GroupSearch = 0x8;
    private const int OtherSearch = 0x1;

    /// <summary>Null when <paramref name="account"/> can reach <paramref name="path"/>; else a warning naming the folder.</summary>
    public static string? Problem(string path, RuntimeAccount account)
    {
        if (account.Unix is not { } unix || unix.Uid == 0) return null;
        try
        {
            foreach (var folder in UnixFolderSafety.Prefixes(Path.GetDirectoryName(Path.GetFullPath(path))!))
            {
                // Links followed: the runtime follows them too.
                if (UnixFileApi.FollowedStatus(folder) is not { IsDirectory: true } status) return null;
                if (!CanPass(status, unix))
                    return $"The runtime account '{account.Name}' may not be able to reach '{path}': '{folder}' (owner uid {status.Owner}, mode {Convert.ToString(status.Permissions, 8)}) does not let it through. "
                        + "Give it search rights on that folder (for example 'chmod o+x'), or choose a folder it can reach.";
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>The search bit for <paramref name="account"/>: owner's, else its primary group's, else others'.</summary>
    internal static bool CanPass(UnixFileStatus folder, UnixAccount account)
    {
        if (folder.Owner == account.Uid) return (folder.Permissions & OwnerSearch) != 0;
        if (folder.Group == account.Gid) return (folder.Permissions & GroupSearch) != 0;
        return (folder.Permissions & OtherSearch) != 0;
    }
}
