using System;
using System.Collections.Generic;
using System.IO;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Whether another user could replace a secret written into a folder, as OpenSSH's StrictModes
/// asks before it trusts a key: the folder and every folder on the way to it must be owned by
/// this user or by root, and writable by nobody else unless the sticky bit stops others from
/// renaming or deleting what is not theirs (as in /tmp). A symbolic link on the way counts too:
/// its owner decides where it points, so it must be this user's or root's, and the folders it
/// leads to are checked by the same rule.
/// A secret written for the runtime account (root writing for svc-edge) may also sit in folders
/// that account owns, as sshd accepts folders owned by root or by the user whose keys they hold;
/// a symbolic link of that account is still refused, so it cannot steer root's write elsewhere.
/// </summary>
internal static class UnixFolderSafety
{
    private const int MaxLinkDepth = 16;

    /// <summary>Null when safe; else why, naming the folder, for a message.</summary>
    /// <param name="runtimeUid">The runtime account the secret is written for, trusted like this user.</param>
    public static string? Problem(string directory, uint me, uint? runtimeUid = null) => Problem(directory, me, runtimeUid, 0);

    private static bool IsTrusted(uint owner, uint me, uint? runtimeUid) => owner == me || owner == 0 || owner == runtimeUid;

    /// <summary>The rule for one folder itself, from its lstat.</summary>
    public static string? JudgeFolder(string path, UnixFileStatus status, uint me, uint? runtimeUid = null)
    {
        if (!IsTrusted(status.Owner, me, runtimeUid))
            return $"'{path}' belongs to another user (uid {status.Owner})";
        var writableByOthers = (status.Permissions & (UnixFileStatus.GroupWrite | UnixFileStatus.OtherWrite)) != 0;
        if (writableByOthers && (status.Permissions & UnixFileStatus.Sticky) == 0)
            return $"'{path}' can be written by other users (mode {Convert.ToString(status.Permissions, 8)}), who could replace the file";
        return null;
    }

    /// <summary>The rule for a symbolic link on the way: its owner chooses where it leads.</summary>
    public static string? JudgeLink(string path, UnixFileStatus status, uint me) =>
        !IsTrusted(status.Owner, me, runtimeUid: null)
            ? $"'{path}' is a symbolic link that belongs to another user (uid {status.Owner}), who decides where it leads"
            : null;

    private static string? Problem(string directory, uint me, uint? runtimeUid, int depth)
    {
        if (depth > MaxLinkDepth) return $"'{directory}' is reached through too many symbolic links";
        foreach (var prefix in Prefixes(directory))
        {
            var status = UnixFileApi.LinkStatus(prefix);
            // The rest does not exist yet: it will be created, owner-only, by this user.
            if (status is not { } s) return null;
            if (s.IsSymlink)
            {
                var problem = JudgeLink(prefix, s, me) ?? Problem(UnixFileApi.RealPath(prefix), me, runtimeUid, depth + 1);
                if (problem != null) return problem;
                continue;
            }
            // Not a folder: creating beneath it fails with its own error.
            if (!s.IsDirectory) return null;
            var judged = JudgeFolder(prefix, s, me, runtimeUid);
            if (judged != null) return judged;
        }
        return null;
    }

    /// <summary>"/", "/a", "/a/b" for "/a/b".</summary>
    internal static IEnumerable<string> Prefixes(string directory)
    {
        var full = Path.GetFullPath(directory);
        var root = Path.GetPathRoot(full) ?? "/";
        yield return root;
        var current = root;
        foreach (var part in full.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            yield return current;
        }
    }
}
