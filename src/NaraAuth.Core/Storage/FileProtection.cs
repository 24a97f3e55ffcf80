using System;
using System.IO;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Whether a secret file on disk is protected as the secure store writes one: owner-only (0600,
/// or an owner-only ACL protected from inheritance on Windows) in a folder no other user can
/// swap it in (the store's own folder rule), and whose account owns it. Reads no content.
/// </summary>
public sealed class FileProtection
{
    private FileProtection(string? owner, string? problem)
    {
        Owner = owner;
        Problem = problem;
    }

    /// <summary>The owner's account name (Unix user name, DOMAIN\user on Windows), or null when it could not be read.</summary>
    public string? Owner { get; }

    /// <summary>Why the file is not protected as it should be, naming the file or folder; null when it is.</summary>
    public string? Problem { get; }

    public bool IsProtected => Problem == null;

    /// <param name="runtimeAccount">The account the Edge Connector runs as: its files and folders are as trusted as the user's own.</param>
    public static FileProtection Inspect(SecureFileStore store, string path, RuntimeAccount? runtimeAccount = null)
    {
        try
        {
            return store.IsWindows ? InspectWindows(store, path, runtimeAccount) : InspectUnix(store, path, runtimeAccount);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is PlatformNotSupportedException)
        {
            return new FileProtection(null, $"the protection of '{path}' could not be read: {e.Message}");
        }
    }

    private static FileProtection InspectUnix(SecureFileStore store, string path, RuntimeAccount? runtimeAccount)
    {
        if (!UnixFileApi.IsAvailable) return new FileProtection(null, null);
        var status = UnixFileApi.FollowedStatus(path) ?? throw new FileNotFoundException($"'{path}' does not exist.");
        var me = UnixFileApi.EffectiveUserId();
        var owner = FileOwner.OfUid(status.Owner).Name;
        var problem = status.Owner != me && status.Owner != 0 && status.Owner != runtimeAccount?.Unix?.Uid
            ? $"'{path}' belongs to another user ({owner})"
            : store.CheckPermissions(path);
        problem ??= store.FolderProblem(Path.GetDirectoryName(Path.GetFullPath(path))!, isTarget: true, runtimeAccount);
        return new FileProtection(owner, problem);
    }

    private static FileProtection InspectWindows(SecureFileStore store, string path, RuntimeAccount? runtimeAccount)
    {
        var me = WindowsAclApplier.CurrentUserSid();
        var sddl = WindowsAclApplier.ReadFileSddl(path);
        var ownerSid = WindowsFolderAcl.OwnerSid(sddl);
        var problem = WindowsFolderAcl.FileProblem(path, sddl, me, runtimeAccount?.Sid)
            ?? store.FolderProblem(Path.GetDirectoryName(Path.GetFullPath(path))!, isTarget: true, runtimeAccount);
        return new FileProtection(ownerSid == null ? null : WindowsAccountSid.NameOnWindows(ownerSid), problem);
    }
}
