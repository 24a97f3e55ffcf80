using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Writes and reads files that hold secrets. A write never exposes the secret to other users
/// (the temporary file is born 0600, or owner-only on Windows, before a byte is written), and
/// never leaves a half-written target: the content goes to a temporary file beside the target,
/// is flushed to disk, then renamed over it. Concurrent writers each rename a complete file, so
/// the last one wins and readers only ever see a whole file.
/// A write also never weakens the machine or trusts a folder another user controls: folders it
/// creates are owner-only at every level, a folder it did not create keeps its rights unless it
/// is the user's own and holds only NaraAuth's files, and a folder another user could swap the
/// file in is refused before anything is written (see <see cref="UnixFolderSafety"/>).
/// Written for a <see cref="RuntimeAccount"/>, the file and every folder the store creates belong
/// to that account before a byte of the secret exists: on Unix the empty temporary file is given
/// to it (fchown) before it is written, created folders at creation; on Windows the empty file
/// gets the runtime account's descriptor.
/// </summary>
public sealed partial class SecureFileStore
{
    private const int ReplaceAttempts = 20;
    // NAME_MAX is 255 bytes on Linux and macOS (255 UTF-16 units on NTFS); a temporary name adds
    // 18 characters, so long target names are shortened in the temporary name only.
    private const int LongNameBytes = 200;
    private const int StemBytes = 180;
    // A temporary file younger than this may belong to a writer that is about to rename it.
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Names of the files NaraAuth keeps (and the installation's config.json that points to them);
    /// a folder holding only these and their temporary files is NaraAuth's own.
    /// </summary>
    private static readonly string[] OwnFileNames = { "auth-token.json", "default-bundle.json", "config.json", "session.json", "device.json" };

    private readonly IEnvironment _environment;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <param name="reporter">Hears, once per file, that a secret file read here is open to other users.</param>
    public SecureFileStore(IEnvironment environment, IReporter? reporter = null)
    {
        _environment = environment;
        Reporter = reporter ?? Reporting.Reporter.None;
    }

    /// <summary>The call's reporter: every read of a secret file other users can read is said here, by the reader itself.</summary>
    public IReporter Reporter { get; }

    public static SecureFileStore Default { get; } = new(SystemEnvironment.Instance);

    public bool IsWindows => _environment.IsWindows;

    /// <summary>Called with the temporary file's path once it is created and secured, before a byte is written (tests look at it then).</summary>
    internal Action<string>? BeforeContentWritten { get; set; }

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="content"/>, owner-only.</summary>
    public void WriteAllBytes(string path, byte[] content) => WriteAllBytes(path, content, null, null, force: false);

    /// <summary>
    /// Atomically replaces <paramref name="path"/> with <paramref name="content"/>, owner-only.
    /// An existing file is replaced only when it is empty or <paramref name="isExpectedKind"/> accepts
    /// it (a file of <paramref name="kind"/>), or with <paramref name="force"/>; something that is not
    /// a regular file (a device, a FIFO, a folder) is never replaced.
    /// </summary>
    public void WriteAllBytes(string path, byte[] content, SecretFileKind? kind, Func<SecretFileContent, bool>? isExpectedKind, bool force) =>
        WriteAllBytes(path, content, kind, isExpectedKind, force, owner: null);

    /// <summary>
    /// As <see cref="WriteAllBytes(string, byte[], SecretFileKind?, Func{SecretFileContent, bool}?, bool)"/>,
    /// the file and the folders created for it belonging to <paramref name="owner"/> (null: this user).
    /// </summary>
    public void WriteAllBytes(string path, byte[] content, SecretFileKind? kind, Func<SecretFileContent, bool>? isExpectedKind, bool force, RuntimeAccount? owner)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        var name = Path.GetFileName(fullPath);
        if (!IsWindows) owner?.CheckPrivilege(UnixFileApi.EffectiveUserId());
        if (!IsWindows && owner?.Unix is { } account && owner.NeedsHandOver(UnixFileApi.EffectiveUserId()))
        {
            // Root writing for another account, in folders that account may control.
            WriteAnchored(fullPath, content, kind, isExpectedKind, force, owner, account);
            return;
        }
        try
        {
            PrepareDirectory(directory, name, owner);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("SecureStoreDirectoryFailed", NaraErrorCategory.WriteError,
                $"Could not create or secure the folder '{directory}': {e.Message}",
                "Check that you can write to this folder, or choose another path.", directory, e);
        }
        var tempPath = Path.Combine(directory, TemporaryPrefix(name) + RandomSuffix() + ".tmp");
        try
        {
            CheckExistingTarget(fullPath, kind, isExpectedKind, force);
            RemoveStaleTemporaryFiles(directory, name, owner);
            // Closed before the rename: the handle's lock would otherwise move with the file and
            // make readers of the target fail for a moment.
            using (var stream = CreatePrivateFile(tempPath, owner))
            {
                BeforeContentWritten?.Invoke(tempPath);
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }
            ReplaceWithRetry(tempPath, fullPath);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("SecureStoreWriteFailed", NaraErrorCategory.WriteError,
                $"Could not write '{fullPath}': {e.Message}. The previous file, if any, is unchanged.",
                "Check the folder's permissions and free space.", fullPath, e);
        }
        finally
        {
            TryDelete(tempPath);
        }
    }

    /// <summary>
    /// Reads a secret file (regular files only, at most 16 MiB); IOException when it cannot.
    /// A file other users could read is said through <see cref="Reporter"/>.
    /// Files NaraAuth parses itself go through <see cref="SecretFileReader"/> instead.
    /// </summary>
    public byte[] ReadAllBytes(string path)
    {
        byte[] bytes;
        try
        {
            bytes = SecretFileReader.ReadRegularFile(path, SecretFileKind.Opaque.MaxBytes, IsWindows);
        }
        catch (SecretFileProblem problem)
        {
            throw new IOException($"'{path}': {problem.Message}", problem);
        }
        WarnIfOthersCanRead(path);
        return bytes;
    }

    /// <summary>Warns through <see cref="Reporter"/> when other users can read <paramref name="path"/>; once per file for this store.</summary>
    internal void WarnIfOthersCanRead(string path)
    {
        if (CheckPermissions(path) is not { } warning) return;
        lock (_warned)
        {
            if (!_warned.Add(Path.GetFullPath(path))) return;
        }
        Reporter.Warning(warning);
    }

    /// <summary>A warning text when group or others have any access to the file (Unix only).</summary>
    public string? CheckPermissions(string path)
    {
        if (IsWindows || !UnixFileApi.IsAvailable) return null;
        int mode;
        try
        {
            mode = UnixFileApi.GetFileMode(path);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            return null;
        }
        if ((mode & UnixFileApi.GroupOrOtherAny) == 0) return null;
        return $"'{path}' can be read by other users (mode {Convert.ToString(mode, 8)}); run 'chmod 600 \"{path}\"' to make it private.";
    }

    /// <summary>
    /// Makes <paramref name="directory"/> a folder a secret may be written into: missing levels are
    /// created owner-only, an existing folder is tightened only when it is NaraAuth's own, and then
    /// the folder and every folder on the way must pass the safety rule.
    /// </summary>
    private void PrepareDirectory(string directory, string? fileName, RuntimeAccount? owner)
    {
        var missing = new Stack<string>();
        var existing = directory;
        while (!Directory.Exists(existing))
        {
            missing.Push(existing);
            var parent = Path.GetDirectoryName(existing);
            if (string.IsNullOrEmpty(parent)) break;
            existing = parent!;
        }
        if (missing.Count == 0) TightenIfOwn(directory, fileName, owner);

        // Checked before anything is created: nothing is written beneath an unsafe folder.
        var problem = FolderProblem(existing, isTarget: missing.Count == 0, owner);
        if (problem != null)
        {
            throw new NaraAuthException("SecureStoreFolderUnsafe", NaraErrorCategory.SecurityError,
                $"Nothing was written: {problem}. Another user could replace or read a secret stored in '{directory}'.",
                "Choose a folder that only you (or root/Administrators) can write to, or fix the folder's owner and permissions (for example 'chmod go-w').",
                directory);
        }

        while (missing.Count > 0) CreatePrivateDirectory(missing.Pop(), owner);
    }

    private void CreatePrivateDirectory(string directory, RuntimeAccount? owner)
    {
        if (IsWindows)
        {
            Directory.CreateDirectory(directory);
            WindowsAclApplier.ApplyToDirectory(directory, owner);
            return;
        }
        UnixFileApi.CreateDirectory(directory, UnixFileApi.OwnerAll);
        // mkdir(2)'s mode is filtered by the umask; set it exactly. A folder someone else created
        // at that name in the meantime is not touched, and nothing is written into it.
        var me = UnixFileApi.EffectiveUserId();
        if (UnixFileApi.LinkStatus(directory) is not { IsDirectory: true } created || created.Owner != me)
            throw new UnauthorizedAccessException($"'{directory}' appeared while it was being created, and it is not this user's folder.");
        // Given away while still empty; lchown(2) never follows a link swapped in at that name.
        if (owner?.Unix is { } account && owner.NeedsHandOver(me)) UnixAccountApi.ChangeOwner(directory, account.Uid, account.Gid);
        UnixFileApi.SetFileMode(directory, UnixFileApi.OwnerAll);
    }

    /// <summary>The uid a file written for <paramref name="owner"/> ends up with.</summary>
    private static uint UnixOwnerOf(RuntimeAccount? owner) => owner?.Unix?.Uid ?? UnixFileApi.EffectiveUserId();

    /// <summary>
    /// Narrows an existing folder to owner-only only when that cannot break anything: the user
    /// owns it, it is not a symbolic link, the home folder or a sticky shared folder, and it holds
    /// only NaraAuth's files.
    /// Any other folder keeps its rights (and is judged by the safety rule as it is).
    /// Written for a runtime account, "the user" is that account: a folder of root's that the
    /// runtime must pass through is never narrowed, which would lock the runtime out.
    /// </summary>
    private void TightenIfOwn(string directory, string? fileName, RuntimeAccount? owner)
    {
        if (IsSamePath(directory, _environment.HomeDirectory)) return;
        if (IsWindows)
        {
            if (!HoldsOnlyOwnFiles(directory, fileName)) return;
            var sddl = WindowsAclApplier.ReadDirectorySddl(directory);
            var me = WindowsAclApplier.CurrentUserSid();
            if (WindowsFolderAcl.Problem(directory, sddl, me, isTarget: true, owner?.Sid) != null && sddl.StartsWith("O:" + me, StringComparison.Ordinal))
                WindowsAclApplier.ApplyToDirectory(directory, owner);
            return;
        }
        if (UnixFileApi.LinkStatus(directory) is not { IsDirectory: true } status) return;
        if (status.Owner != UnixOwnerOf(owner)) return;
        if ((status.Permissions & UnixFileApi.GroupOrOtherAny) == 0) return;
        // The sticky bit marks a folder shared on purpose (like /tmp): never narrowed.
        if ((status.Permissions & UnixFileStatus.Sticky) != 0) return;
        if (!HoldsOnlyOwnFiles(directory, fileName)) return;
        UnixFileApi.SetFileMode(directory, status.Permissions & UnixFileApi.OwnerAll);
    }

    private static bool HoldsOnlyOwnFiles(string directory, string? fileName)
    {
        var count = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            // A folder with many entries is not one NaraAuth made.
            if (++count > 64) return false;
            var name = Path.GetFileName(entry);
            if (Directory.Exists(entry)) return false;
            if (name == fileName || OwnFileNames.Contains(name, StringComparer.Ordinal)) continue;
            if (IsOurTemporaryName(name, fileName ?? string.Empty) || OwnFileNames.Any(own => IsOurTemporaryName(name, own))) continue;
            return false;
        }
        return true;
    }

    /// <summary>The safety rule for <paramref name="directory"/> and every folder on the way; null when safe.</summary>
    internal string? FolderProblem(string directory, bool isTarget, RuntimeAccount? owner = null)
    {
        if (!IsWindows) return UnixFolderSafety.Problem(directory, UnixFileApi.EffectiveUserId(), owner?.Unix?.Uid);
        var me = WindowsAclApplier.CurrentUserSid();
        var current = directory;
        var target = isTarget;
        while (!string.IsNullOrEmpty(current))
        {
            var problem = WindowsFolderAcl.Problem(current, WindowsAclApplier.ReadDirectorySddl(current), me, target, owner?.Sid);
            if (problem != null) return problem;
            target = false;
            current = Path.GetDirectoryName(current);
        }
        return null;
    }

    /// <summary>
    /// An existing target must be a regular file; unless forced, one that holds something other
    /// than what is about to be written (a notes.txt given as the token path) is not replaced.
    /// </summary>
    private void CheckExistingTarget(string fullPath, SecretFileKind? kind, Func<SecretFileContent, bool>? isExpectedKind, bool force)
    {
        var description = kind?.Description ?? "secret file";
        if (!IsWindows)
        {
            if (UnixFileApi.LinkStatus(fullPath) is not { } link) return;
            var target = link.IsSymlink ? UnixFileApi.FollowedStatus(fullPath) : link;
            // A folder cannot be renamed over, so the write fails by itself and changes nothing;
            // a device, FIFO or socket would be replaced by rename(2), which is never right.
            if (target is { IsRegularFile: false, IsDirectory: false } other)
                throw NotAFile(fullPath, description, other.TypeName);
        }
        if (force || isExpectedKind == null || kind == null || !File.Exists(fullPath)) return;

        if (!IsReplaceable(fullPath, kind, isExpectedKind))
        {
            throw new NaraAuthException("SecureStoreTargetUnrecognized", NaraErrorCategory.ResourceExists,
                $"Nothing was written: '{fullPath}' already exists and is not a {description}, so it was not replaced.",
                "Check the path (parameter, environment variable or config.json); to replace the file anyway, add -Force (or move the file away).", fullPath);
        }
    }

    private bool IsReplaceable(string fullPath, SecretFileKind kind, Func<SecretFileContent, bool> isExpectedKind)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var existing = SecretFileReader.Read(this, fullPath, kind);
                return existing.Utf8.Length == 0 || isExpectedKind(existing);
            }
            catch (NaraAuthException e) when (e.ErrorId == kind.UnreadableId && attempt < 3)
            {
                // Another writer replacing the file at this moment (a sharing violation on Windows).
                Thread.Sleep(20 * attempt);
            }
            catch (NaraAuthException e) when (e.ErrorId == kind.NotFoundId)
            {
                // Gone in the meantime: nothing to lose.
                return true;
            }
            catch (NaraAuthException)
            {
                return false;
            }
        }
    }

    private static NaraAuthException NotAFile(string path, string description, string what) =>
        new("SecureStoreTargetNotAFile", NaraErrorCategory.InvalidArgument,
            $"Nothing was written: '{path}' is {what}, not a regular file, so it cannot hold the {description}.",
            "Choose a path to a regular file (or a file that does not exist yet).", path);

    /// <summary>
    /// Removes temporary files a killed writer left beside the target: only this target's own
    /// pattern, only regular files of this user, only when no writer holds them open and they are
    /// some seconds old (a live writer renames its file within milliseconds of closing it). Each
    /// holds a whole secret, so they must not pile up. (On Windows the owner is not compared: the
    /// folder rule already keeps other accounts from creating files in the folder.)
    /// </summary>
    private void RemoveStaleTemporaryFiles(string directory, string name, RuntimeAccount? owner)
    {
        var prefix = TemporaryPrefix(name);
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, prefix + "*.tmp");
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            return;
        }
        foreach (var candidate in candidates)
        {
            if (!IsOurTemporaryName(Path.GetFileName(candidate), name)) continue;
            try
            {
                if (!IsWindows && (UnixFileApi.LinkStatus(candidate) is not { IsRegularFile: true } status || status.Owner != UnixOwnerOf(owner)))
                    continue;
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(candidate) < StaleTempAge) continue;
                // A writer holds its temporary file open with FileShare.None while it writes.
                using (new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.None)) { }
                File.Delete(candidate);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // In use, or gone already: another writer's business.
            }
        }
    }

    /// <summary>".&lt;name&gt;." for normal names; a long name is cut and tagged with a hash so the result stays within 255 bytes.</summary>
    internal static string TemporaryPrefix(string name)
    {
        var stem = name;
        if (Encoding.UTF8.GetByteCount(name) > LongNameBytes)
        {
            var cut = new StringBuilder();
            var bytes = 0;
            foreach (var c in name)
            {
                var size = Encoding.UTF8.GetByteCount(new[] { c });
                if (bytes + size > StemBytes) break;
                cut.Append(c);
                bytes += size;
            }
            // A lone high surrogate at the end would not be a valid file name.
            if (cut.Length > 0 && char.IsHighSurrogate(cut[cut.Length - 1])) cut.Length--;
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(name));
            stem = cut + "~" + BitConverter.ToString(hash, 0, 4).Replace("-", string.Empty).ToLowerInvariant();
        }
        return "." + stem + ".";
    }

    /// <summary>TemporaryPrefix(name) followed by exactly twelve lowercase hex digits and ".tmp".</summary>
    internal static bool IsOurTemporaryName(string candidate, string name)
    {
        if (name.Length == 0) return false;
        var prefix = TemporaryPrefix(name);
        if (!candidate.StartsWith(prefix, StringComparison.Ordinal) || !candidate.EndsWith(".tmp", StringComparison.Ordinal)) return false;
        var middle = candidate.Substring(prefix.Length, candidate.Length - prefix.Length - 4);
        return middle.Length == 12 && middle.All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /// <summary>An empty file, already private to its final owner, open for writing.</summary>
    private FileStream CreatePrivateFile(string path, RuntimeAccount? owner)
    {
        var stream = IsWindows
            ? new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None)
            : UnixFileApi.CreateNew(path, UnixFileApi.OwnerReadWrite);
        try
        {
            if (IsWindows)
                WindowsAclApplier.ApplyToFile(path, owner);
            else if (owner?.Unix is { } account && owner.NeedsHandOver(UnixFileApi.EffectiveUserId()))
                UnixAccountApi.ChangeOwner(stream.SafeFileHandle, account.Uid, account.Gid);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static void ReplaceWithRetry(string source, string destination)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (File.Exists(destination))
                    File.Replace(source, destination, destinationBackupFileName: null, ignoreMetadataErrors: true);
                else
                    File.Move(source, destination);
                return;
            }
            catch (IOException) when (attempt < ReplaceAttempts)
            {
                // Windows reports sharing violations while another writer replaces the same
                // file; a short pause lets that writer finish. On Unix rename(2) never races.
                Thread.Sleep(10 * attempt);
            }
            catch (UnauthorizedAccessException) when (attempt < ReplaceAttempts)
            {
                Thread.Sleep(10 * attempt);
            }
        }
    }

    private static bool IsSamePath(string a, string b)
    {
        static string Normalize(string p) => Path.GetFullPath(p).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        try
        {
            return string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string RandomSuffix()
    {
        var bytes = new byte[6];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
        return BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
