using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Win32.SafeHandles;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The Unix write for another account (root with -RuntimeAccount): nothing is named by path after
/// a check. The folder is reached one component at a time, each opened with
/// O_DIRECTORY|O_NOFOLLOW and judged by fstat(2) on the opened handle; missing folders are made
/// with mkdirat(2) and given away and narrowed through their own handle; the temporary file is
/// created with openat(O_CREAT|O_EXCL|O_NOFOLLOW), given to the account and made 0600 before the
/// first secret byte, synced, and renamed with renameat(2) inside the same folder handle. A folder
/// the account swaps for a symbolic link at any moment makes the write fail; it can never steer
/// it into a folder of root's (docs/decisions/installation-trust.md).
/// </summary>
public sealed partial class SecureFileStore
{
    private const int MaxLinkRestarts = 16;

    private void WriteAnchored(string fullPath, byte[] content, SecretFileKind? kind, Func<SecretFileContent, bool>? isExpectedKind, bool force, RuntimeAccount owner, UnixAccount account)
    {
        var directory = Path.GetDirectoryName(fullPath)!;
        var name = Path.GetFileName(fullPath);
        var me = UnixFileApi.EffectiveUserId();
        int folder;
        try
        {
            // The path rule first, for the same clear refusal as every write; the handles below
            // judge again what is actually opened.
            CheckFolderBeforeCreating(directory, owner);
            folder = OpenFolderForAccount(directory, me, account);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("SecureStoreDirectoryFailed", NaraErrorCategory.WriteError,
                $"Could not create or secure the folder '{directory}': {e.Message}",
                "Check that you can write to this folder, or choose another path.", directory, e);
        }
        try
        {
            CheckExistingTargetAt(folder, name, fullPath, kind, isExpectedKind, force);
            RemoveStaleTemporaryFilesAt(folder, directory, name, account.Uid);
            var temporary = TemporaryPrefix(name) + RandomSuffix() + ".tmp";
            var display = $"'{Path.Combine(directory, temporary)}'";
            var file = UnixHandleApi.OpenAt(folder, temporary,
                UnixHandleApi.WriteOnly | UnixHandleApi.Create | UnixHandleApi.Exclusive | UnixHandleApi.NoFollow | UnixHandleApi.CloseOnExec,
                UnixFileApi.OwnerReadWrite, display);
            var renamed = false;
            try
            {
                // Held while written, so a cleaner of leftovers never takes a live writer's file.
                UnixHandleApi.Lock(file, wait: true);
                UnixHandleApi.ChangeOwner(file, account.Uid, account.Gid, display);
                UnixHandleApi.ChangeMode(file, UnixFileApi.OwnerReadWrite, display);
                BeforeContentWritten?.Invoke(Path.Combine(directory, temporary));
                UnixHandleApi.WriteAll(file, content, display);
                UnixHandleApi.Sync(file, display);
                UnixHandleApi.RenameAt(folder, temporary, name, $"'{fullPath}'");
                renamed = true;
            }
            finally
            {
                UnixHandleApi.Close(file);
                if (!renamed) UnixHandleApi.TryRemoveAt(folder, temporary);
            }
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("SecureStoreWriteFailed", NaraErrorCategory.WriteError,
                $"Could not write '{fullPath}': {e.Message}. The previous file, if any, is unchanged.",
                "Check the folder's permissions and free space.", fullPath, e);
        }
        finally
        {
            UnixHandleApi.Close(folder);
        }
    }

    private void CheckFolderBeforeCreating(string directory, RuntimeAccount owner)
    {
        var existing = directory;
        var missing = false;
        while (UnixFileApi.LinkStatus(existing) is null)
        {
            missing = true;
            var parent = Path.GetDirectoryName(existing);
            if (string.IsNullOrEmpty(parent)) break;
            existing = parent!;
        }
        if (FolderProblem(existing, isTarget: !missing, owner) is { } problem) throw Unsafe(directory, problem);
    }

    /// <summary>
    /// The target folder as an open handle, every component opened without following a link and
    /// judged on its handle, missing ones created for the account. A symbolic link is followed only
    /// while nothing the account owns has been passed yet, and only when root or this user owns it:
    /// then everything up to it is theirs alone, and resolving it cannot be raced.
    /// </summary>
    private static int OpenFolderForAccount(string directory, uint me, UnixAccount account)
    {
        var parts = new List<string>(Components(directory));
        var restarts = 0;
    Restart:
        var walked = "/";
        var folder = UnixHandleApi.Open("/", UnixHandleApi.ReadOnly | UnixHandleApi.Directory | UnixHandleApi.CloseOnExec);
        try
        {
            var accountReached = false;
            for (var i = 0; i < parts.Count; i++)
            {
                var path = Path.Combine(walked, parts[i]);
                int next;
                var created = false;
                try
                {
                    next = OpenFolderAt(folder, parts[i], path);
                }
                catch (UnixCallException e) when (e.Errno == UnixHandleApi.LoopErrno)
                {
                    if (accountReached)
                        throw Unsafe(directory, $"'{path}' is a symbolic link inside a folder the runtime account controls, which could lead the write anywhere");
                    if (UnixFileApi.LinkStatus(path) is not { IsSymlink: true } link) throw;
                    if (UnixFolderSafety.JudgeLink(path, link, me) is { } linkProblem) throw Unsafe(directory, linkProblem);
                    if (++restarts > MaxLinkRestarts) throw Unsafe(directory, $"'{directory}' is reached through too many symbolic links");
                    var resolved = new List<string>(Components(UnixFileApi.RealPath(path)));
                    resolved.AddRange(parts.GetRange(i + 1, parts.Count - i - 1));
                    parts = resolved;
                    UnixHandleApi.Close(folder);
                    folder = -1;
                    goto Restart;
                }
                catch (UnixCallException e) when (e.Errno == UnixHandleApi.NotFoundErrno)
                {
                    try
                    {
                        UnixHandleApi.MakeFolderAt(folder, parts[i], UnixFileApi.OwnerAll, $"'{path}'");
                        created = true;
                    }
                    catch (UnixCallException exists) when (exists.Errno == UnixHandleApi.ExistsErrno)
                    {
                        // Someone else made it in the meantime: judged below like any existing folder.
                    }
                    next = OpenFolderAt(folder, parts[i], path);
                }
                UnixHandleApi.Close(folder);
                folder = next;
                walked = path;
                var status = UnixHandleApi.Status(folder, $"'{path}'");
                if (created && status.Owner == me)
                {
                    // Only a folder this write made is given away and narrowed, through its handle.
                    UnixHandleApi.ChangeOwner(folder, account.Uid, account.Gid, $"'{path}'");
                    UnixHandleApi.ChangeMode(folder, UnixFileApi.OwnerAll, $"'{path}'");
                    accountReached = true;
                    continue;
                }
                if (UnixFolderSafety.JudgeFolder(path, status, me, account.Uid) is { } problem) throw Unsafe(directory, problem);
                if (status.Owner == account.Uid && account.Uid != me) accountReached = true;
            }
            var result = folder;
            folder = -1;
            return result;
        }
        finally
        {
            UnixHandleApi.Close(folder);
        }
    }

    private static int OpenFolderAt(int folder, string name, string path)
    {
        try
        {
            return UnixHandleApi.OpenAt(folder, name, UnixHandleApi.ReadOnly | UnixHandleApi.Directory | UnixHandleApi.NoFollow | UnixHandleApi.CloseOnExec, 0, $"'{path}'");
        }
        catch (UnixCallException e) when (e.Errno == UnixHandleApi.NotDirectoryErrno)
        {
            // O_NOFOLLOW|O_DIRECTORY on a link gives ENOTDIR on some systems; tell the two apart.
            if (UnixFileApi.LinkStatus(path) is { IsSymlink: true }) throw new UnixCallException(UnixHandleApi.LoopErrno, e.Message);
            throw;
        }
    }

    private static IEnumerable<string> Components(string directory) =>
        Path.GetFullPath(directory).Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The existing target, judged through the folder handle: never a device or FIFO, never an unrelated file unless forced.</summary>
    private static void CheckExistingTargetAt(int folder, string name, string fullPath, SecretFileKind? kind, Func<SecretFileContent, bool>? isExpectedKind, bool force)
    {
        var description = kind?.Description ?? "secret file";
        int existing;
        try
        {
            existing = UnixHandleApi.OpenAt(folder, name, UnixHandleApi.ReadOnly | UnixHandleApi.NonBlocking | UnixHandleApi.NoFollow | UnixHandleApi.CloseOnExec, 0, $"'{fullPath}'");
        }
        catch (UnixCallException e) when (e.Errno == UnixHandleApi.NotFoundErrno)
        {
            return;
        }
        catch (UnixCallException e) when (e.Errno == UnixHandleApi.LoopErrno)
        {
            // renameat(2) replaces the link itself; what it points to is never read or touched.
            return;
        }
        catch (UnixCallException)
        {
            // A socket cannot be opened; nothing but a regular file is ever replaced.
            throw NotAFile(fullPath, description, "not a regular file");
        }
        using var handle = new SafeFileHandle(new IntPtr(existing), ownsHandle: true);
        var status = UnixHandleApi.Status(existing, $"'{fullPath}'");
        if (!status.IsRegularFile) throw NotAFile(fullPath, description, status.TypeName);
        if (force || isExpectedKind == null || kind == null || status.Size == 0) return;
        bool recognized;
        if (status.Size > kind.MaxBytes)
        {
            recognized = false;
        }
        else
        {
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            var bytes = new byte[status.Size];
            var read = 0;
            int chunk;
            while (read < bytes.Length && (chunk = stream.Read(bytes, read, bytes.Length - read)) > 0) read += chunk;
            if (read < bytes.Length) Array.Resize(ref bytes, read);
            var content = SecretFileContent.FromBytes(fullPath, bytes);
            recognized = content.Utf8.Length == 0 || isExpectedKind(content);
            Array.Clear(bytes, 0, bytes.Length);
        }
        if (!recognized)
        {
            throw new NaraAuthException("SecureStoreTargetUnrecognized", NaraErrorCategory.ResourceExists,
                $"Nothing was written: '{fullPath}' already exists and is not a {description}, so it was not replaced.",
                "Check the path (parameter, environment variable or config.json); to replace the file anyway, add -Force (or move the file away).", fullPath);
        }
    }

    /// <summary>Leftovers of a killed writer for the account, judged and removed through the folder handle only.</summary>
    private static void RemoveStaleTemporaryFilesAt(int folder, string directory, string name, uint accountUid)
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, TemporaryPrefix(name) + "*.tmp");
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var candidate in candidates)
        {
            var entry = Path.GetFileName(candidate);
            if (!IsOurTemporaryName(entry, name)) continue;
            var fd = -1;
            try
            {
                fd = UnixHandleApi.OpenAt(folder, entry, UnixHandleApi.ReadOnly | UnixHandleApi.NonBlocking | UnixHandleApi.NoFollow | UnixHandleApi.CloseOnExec, 0, $"'{candidate}'");
                var status = UnixHandleApi.Status(fd, $"'{candidate}'");
                if (!status.IsRegularFile || status.Owner != accountUid) continue;
                if (now - status.ModifiedSeconds < (long)StaleTempAge.TotalSeconds) continue;
                if (!UnixHandleApi.Lock(fd, wait: false)) continue;
                UnixHandleApi.TryRemoveAt(folder, entry);
            }
            catch (IOException)
            {
                // Gone, or not ours to judge: another writer's business.
            }
            finally
            {
                UnixHandleApi.Close(fd);
            }
        }
    }

    private static NaraAuthException Unsafe(string directory, string problem) =>
        new("SecureStoreFolderUnsafe", NaraErrorCategory.SecurityError,
            $"Nothing was written: {problem}. Another user could replace or read a secret stored in '{directory}'.",
            "Choose a folder that only you (or root/Administrators) can write to, or fix the folder's owner and permissions (for example 'chmod go-w').",
            directory);
}
