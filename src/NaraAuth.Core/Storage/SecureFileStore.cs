using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Writes and reads files that hold secrets. A write never exposes the secret to other users
/// (the temporary file is born 0600, or owner-only on Windows, before a byte is written), and
/// never leaves a half-written target: the content goes to a temporary file beside the target,
/// is flushed to disk, then renamed over it. Concurrent writers each rename a complete file, so
/// the last one wins and readers only ever see a whole file.
/// </summary>
public sealed class SecureFileStore
{
    private const int ReplaceAttempts = 20;
    private readonly IEnvironment _environment;

    public SecureFileStore(IEnvironment environment)
    {
        _environment = environment;
    }

    public static SecureFileStore Default { get; } = new(SystemEnvironment.Instance);

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="content"/>, owner-only.</summary>
    public void WriteAllBytes(string path, byte[] content)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        try
        {
            EnsurePrivateDirectory(directory);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("SecureStoreDirectoryFailed", NaraErrorCategory.WriteError,
                $"Could not create or secure the folder '{directory}': {e.Message}",
                "Check that you can write to this folder, or choose another path.", directory, e);
        }

        var tempPath = Path.Combine(directory, "." + Path.GetFileName(fullPath) + "." + RandomSuffix() + ".tmp");
        try
        {
            using (var stream = CreatePrivateFile(tempPath))
            {
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
    /// Reads a secret file. <paramref name="permissionWarning"/> is set when other users could
    /// read it, naming the path and the command that fixes it.
    /// </summary>
    public byte[] ReadAllBytes(string path, out string? permissionWarning)
    {
        permissionWarning = CheckPermissions(path);
        return File.ReadAllBytes(path);
    }

    /// <summary>A warning text when group or others have any access to the file (Unix only).</summary>
    public string? CheckPermissions(string path)
    {
        if (_environment.IsWindows || !UnixFileApi.IsAvailable) return null;
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

    /// <summary>Creates the folder owner-only, or tightens one that is looser than that.</summary>
    public void EnsurePrivateDirectory(string directory)
    {
        if (_environment.IsWindows)
        {
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                WindowsAclApplier.ApplyToDirectory(directory);
            }
            return;
        }

        if (!Directory.Exists(directory))
        {
            var parent = Path.GetDirectoryName(directory);
            if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
                EnsureParentExists(parent!);
            UnixFileApi.CreateDirectory(directory, UnixFileApi.OwnerAll);
            // CreateDirectory's mode is filtered by the umask; set it exactly.
            UnixFileApi.SetFileMode(directory, UnixFileApi.OwnerAll);
            return;
        }

        // The home folder itself is never narrowed: that would break the user's other tools.
        if (IsSamePath(directory, _environment.HomeDirectory)) return;
        var mode = UnixFileApi.GetFileMode(directory);
        if ((mode & UnixFileApi.GroupOrOtherAny) != 0)
            UnixFileApi.SetFileMode(directory, mode & UnixFileApi.OwnerAll);
    }

    private static void EnsureParentExists(string parent)
    {
        // Intermediate folders hold no secret; they get normal permissions like mkdir -p.
        Directory.CreateDirectory(parent);
    }

    private FileStream CreatePrivateFile(string path)
    {
        if (_environment.IsWindows)
        {
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            try
            {
                WindowsAclApplier.ApplyToFile(path);
                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        return UnixFileApi.CreateNew(path, UnixFileApi.OwnerReadWrite);
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
