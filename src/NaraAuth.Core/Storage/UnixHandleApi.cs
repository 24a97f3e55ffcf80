using System;
using System.IO;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The descriptor-relative file calls (open/openat, mkdirat, renameat, unlinkat, fchmod, fchown,
/// fsync, flock) that let a privileged write name nothing by path after a check: each step works
/// on a folder already opened without following a link, so a folder swapped for a symbolic link
/// in the meantime makes the step fail instead of steering it. They come from libc (the runtime's
/// shim has no openat and no O_NONBLOCK); fstat comes from the shim, whose FileStatus layout is
/// the same on every platform. Flag values differ between Linux x64, Linux arm and macOS, so they
/// are chosen once for the running platform.
/// </summary>
internal static class UnixHandleApi
{
    private const string Shim = "libSystem.Native";
    private const int StatusBufferBytes = 512;
    private const int LockShared = 1;      // LOCK_SH
    private const int LockExclusive = 2;   // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB

    private static readonly bool IsMac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
    private static readonly bool IsArmLinux = !IsMac
        && (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 || RuntimeInformation.ProcessArchitecture == Architecture.Arm);

    public static readonly int ReadOnly = 0;
    public static readonly int WriteOnly = 1;
    public static readonly int Create = IsMac ? 0x200 : 0x40;
    public static readonly int Exclusive = IsMac ? 0x800 : 0x80;
    public static readonly int NonBlocking = IsMac ? 0x4 : 0x800;
    public static readonly int Directory = IsMac ? 0x100000 : IsArmLinux ? 0x4000 : 0x10000;
    public static readonly int NoFollow = IsMac ? 0x100 : IsArmLinux ? 0x8000 : 0x20000;
    public static readonly int CloseOnExec = IsMac ? 0x1000000 : 0x80000;

    /// <summary>errno values the callers tell apart.</summary>
    public const int NotFoundErrno = 2;     // ENOENT
    public const int ExistsErrno = 17;      // EEXIST
    public const int NotDirectoryErrno = 20; // ENOTDIR
    public static readonly int LoopErrno = IsMac ? 62 : 40; // ELOOP: O_NOFOLLOW met a symbolic link
    public const int WouldBlockErrno = 11;  // EAGAIN (Linux); EWOULDBLOCK
    private static readonly int MacWouldBlockErrno = 35;

    /// <summary>open(2) of an absolute path; the final component is never followed if it is a link.</summary>
    public static int Open(string path, int flags) => Check(Libc(() => OpenLibc6(UnixFileApi.Utf8(path), flags, 0), () => OpenLibc(UnixFileApi.Utf8(path), flags, 0)), $"'{path}'");

    /// <summary>openat(2) of one name in an opened folder.</summary>
    public static int OpenAt(int folder, string name, int flags, int mode, string display) =>
        Check(Libc(() => OpenAtLibc6(folder, UnixFileApi.Utf8(name), flags, mode), () => OpenAtLibc(folder, UnixFileApi.Utf8(name), flags, mode)), display);

    public static void MakeFolderAt(int folder, string name, int mode, string display) =>
        Check(Libc(() => MkdirAtLibc6(folder, UnixFileApi.Utf8(name), mode), () => MkdirAtLibc(folder, UnixFileApi.Utf8(name), mode)), display);

    public static void RenameAt(int folder, string from, string to, string display) =>
        Check(Libc(() => RenameAtLibc6(folder, UnixFileApi.Utf8(from), folder, UnixFileApi.Utf8(to)), () => RenameAtLibc(folder, UnixFileApi.Utf8(from), folder, UnixFileApi.Utf8(to))), display);

    /// <summary>unlinkat(2) of a file name in an opened folder; false when it failed.</summary>
    public static bool TryRemoveAt(int folder, string name) =>
        Libc(() => UnlinkAtLibc6(folder, UnixFileApi.Utf8(name), 0), () => UnlinkAtLibc(folder, UnixFileApi.Utf8(name), 0)) == 0;

    public static void ChangeMode(int fd, int mode, string display) =>
        Check(Libc(() => FChmodLibc6(fd, mode), () => FChmodLibc(fd, mode)), display);

    public static void ChangeOwner(int fd, uint uid, uint gid, string display)
    {
        if (Libc(() => FChownLibc6(fd, uid, gid), () => FChownLibc(fd, uid, gid)) == 0) return;
        var errno = Marshal.GetLastWin32Error();
        var message = $"Could not give {display} to uid {uid} (errno {errno}).";
        throw errno == 1 ? new UnauthorizedAccessException(message) : new IOException(message);
    }

    public static void Sync(int fd, string display) => Check(Libc(() => FSyncLibc6(fd), () => FSyncLibc(fd)), display);

    /// <summary>flock(2) exclusive; with <paramref name="wait"/> false, false when another holder has it.</summary>
    public static bool Lock(int fd, bool wait) => Flock(fd, LockExclusive | (wait ? 0 : LockNonBlocking));

    /// <summary>flock(2) shared without waiting, as .NET's own FileShare.Read open does: false while a writer holds the file exclusively.</summary>
    public static bool TryLockShared(int fd) => Flock(fd, LockShared | LockNonBlocking);

    private static bool Flock(int fd, int operation)
    {
        if (Libc(() => FlockLibc6(fd, operation), () => FlockLibc(fd, operation)) == 0) return true;
        var errno = Marshal.GetLastWin32Error();
        if (errno == WouldBlockErrno || errno == MacWouldBlockErrno) return false;
        throw new IOException($"Could not lock a file (errno {errno}).");
    }

    public static void Close(int fd)
    {
        if (fd >= 0) Libc(() => CloseLibc6(fd), () => CloseLibc(fd));
    }

    /// <summary>Writes every byte, retrying short writes.</summary>
    public static void WriteAll(int fd, byte[] content, string display)
    {
        var pinned = GCHandle.Alloc(content, GCHandleType.Pinned);
        try
        {
            var done = 0;
            while (done < content.Length)
            {
                var start = IntPtr.Add(pinned.AddrOfPinnedObject(), done);
                var count = new IntPtr(content.Length - done);
                var written = Libc(() => WriteLibc6(fd, start, count).ToInt64(), () => WriteLibc(fd, start, count).ToInt64());
                if (written <= 0) throw new IOException($"Could not write {display} (errno {Marshal.GetLastWin32Error()}).");
                done += (int)written;
            }
        }
        finally
        {
            pinned.Free();
        }
    }

    /// <summary>fstat(2) of an open descriptor: what was opened, not what the path names now.</summary>
    public static UnixFileStatus Status(int fd, string display)
    {
        var buffer = Marshal.AllocHGlobal(StatusBufferBytes);
        try
        {
            int rc;
            try
            {
                rc = FStatNative(new IntPtr(fd), buffer);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                throw new IOException("This runtime does not offer fstat(2) through libSystem.Native; NaraAuth needs PowerShell 7.4 or later on Unix.", e);
            }
            if (rc != 0) throw new IOException($"Could not inspect {display} (errno {Marshal.GetLastWin32Error()}).");
            // FileStatus: int32 Flags, int32 Mode, uint32 Uid, uint32 Gid, int64 Size, int64 ATime, int64 ATimeNsec, int64 MTime, ...
            var mode = Marshal.ReadInt32(buffer, 4);
            var uid = unchecked((uint)Marshal.ReadInt32(buffer, 8));
            var gid = unchecked((uint)Marshal.ReadInt32(buffer, 12));
            var size = Marshal.ReadInt64(buffer, 16);
            var modified = Marshal.ReadInt64(buffer, 40);
            return new UnixFileStatus(mode, uid, size, gid, modified);
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    /// <summary>A failed call as an IOException carrying its errno.</summary>
    public static int Check(int rc, string display)
    {
        if (rc >= 0) return rc;
        var errno = Marshal.GetLastWin32Error();
        throw new UnixCallException(errno, $"{display}: {Describe(errno)} (errno {errno})");
    }

    private static string Describe(int errno) =>
        errno == NotFoundErrno ? "not found"
        : errno == LoopErrno ? "it is a symbolic link, which is not followed here"
        : errno == NotDirectoryErrno ? "a part of the path is not a folder"
        : errno == ExistsErrno ? "it already exists"
        : errno == 13 || errno == 1 ? "permission denied"
        : "the call failed";

    /// <summary>glibc names its library libc.so.6 (a bare libc.so is a linker script, or absent); macOS and musl answer to libc.</summary>
    private static T Libc<T>(Func<T> libc6, Func<T> libc)
    {
        try
        {
            return libc6();
        }
        catch (DllNotFoundException)
        {
            try
            {
                return libc();
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                throw new IOException("Could not load libc for a descriptor-relative file call.", e);
            }
        }
    }

    [DllImport(Shim, EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static extern int FStatNative(IntPtr fd, IntPtr status);

    [DllImport("libc.so.6", EntryPoint = "open", SetLastError = true)] private static extern int OpenLibc6(byte[] path, int flags, int mode);
    [DllImport("libc", EntryPoint = "open", SetLastError = true)] private static extern int OpenLibc(byte[] path, int flags, int mode);
    [DllImport("libc.so.6", EntryPoint = "openat", SetLastError = true)] private static extern int OpenAtLibc6(int folder, byte[] name, int flags, int mode);
    [DllImport("libc", EntryPoint = "openat", SetLastError = true)] private static extern int OpenAtLibc(int folder, byte[] name, int flags, int mode);
    [DllImport("libc.so.6", EntryPoint = "mkdirat", SetLastError = true)] private static extern int MkdirAtLibc6(int folder, byte[] name, int mode);
    [DllImport("libc", EntryPoint = "mkdirat", SetLastError = true)] private static extern int MkdirAtLibc(int folder, byte[] name, int mode);
    [DllImport("libc.so.6", EntryPoint = "renameat", SetLastError = true)] private static extern int RenameAtLibc6(int fromFolder, byte[] from, int toFolder, byte[] to);
    [DllImport("libc", EntryPoint = "renameat", SetLastError = true)] private static extern int RenameAtLibc(int fromFolder, byte[] from, int toFolder, byte[] to);
    [DllImport("libc.so.6", EntryPoint = "unlinkat", SetLastError = true)] private static extern int UnlinkAtLibc6(int folder, byte[] name, int flags);
    [DllImport("libc", EntryPoint = "unlinkat", SetLastError = true)] private static extern int UnlinkAtLibc(int folder, byte[] name, int flags);
    [DllImport("libc.so.6", EntryPoint = "fchmod", SetLastError = true)] private static extern int FChmodLibc6(int fd, int mode);
    [DllImport("libc", EntryPoint = "fchmod", SetLastError = true)] private static extern int FChmodLibc(int fd, int mode);
    [DllImport("libc.so.6", EntryPoint = "fchown", SetLastError = true)] private static extern int FChownLibc6(int fd, uint uid, uint gid);
    [DllImport("libc", EntryPoint = "fchown", SetLastError = true)] private static extern int FChownLibc(int fd, uint uid, uint gid);
    [DllImport("libc.so.6", EntryPoint = "fsync", SetLastError = true)] private static extern int FSyncLibc6(int fd);
    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)] private static extern int FSyncLibc(int fd);
    [DllImport("libc.so.6", EntryPoint = "flock", SetLastError = true)] private static extern int FlockLibc6(int fd, int operation);
    [DllImport("libc", EntryPoint = "flock", SetLastError = true)] private static extern int FlockLibc(int fd, int operation);
    [DllImport("libc.so.6", EntryPoint = "close", SetLastError = true)] private static extern int CloseLibc6(int fd);
    [DllImport("libc", EntryPoint = "close", SetLastError = true)] private static extern int CloseLibc(int fd);
    [DllImport("libc.so.6", EntryPoint = "write", SetLastError = true)] private static extern IntPtr WriteLibc6(int fd, IntPtr buffer, IntPtr count);
    [DllImport("libc", EntryPoint = "write", SetLastError = true)] private static extern IntPtr WriteLibc(int fd, IntPtr buffer, IntPtr count);
}

