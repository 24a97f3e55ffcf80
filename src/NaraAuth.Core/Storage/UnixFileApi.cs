using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The Unix file calls NaraAuth needs, in one place. Modes and owner-only creation come from the
/// runtime's own APIs (.NET 7+: UnixCreateMode, Get/SetUnixFileMode, CreateDirectory with a mode),
/// reached by reflection because Core targets netstandard2.0; PowerShell 7.4+ runs on .NET 8, so
/// on Unix these always exist, and Windows never calls them. Using the runtime's open(2) with a
/// mode is what makes a file 0600 from its first byte.
/// Owners, file types and symbolic links come from lstat(2)/stat(2), which .NET does not expose.
/// They are called through the runtime's own native shim (libSystem.Native, loaded by every .NET
/// process on Unix) rather than libc, because libc's struct stat differs between Linux x64, Linux
/// arm64 and macOS, and older glibc does not even export lstat; the shim's FileStatus starts with
/// the same portable fields (flags, mode, uid, gid, size) on every platform and every .NET since 2.0.
/// </summary>
internal static class UnixFileApi
{
    public const int OwnerReadWrite = 0x180; // 0600
    public const int OwnerAll = 0x1C0;       // 0700
    public const int GroupOrOtherAny = 0x3F; // 0077

    private const string Shim = "libSystem.Native";
    // The shim's FileStatus is ~130 bytes today; a larger buffer keeps a future field harmless.
    private const int StatusBufferBytes = 512;

    private static readonly Type? ModeType = Type.GetType("System.IO.UnixFileMode");
    private static readonly Type? OptionsType = Type.GetType("System.IO.FileStreamOptions");
    private static readonly MethodInfo? GetMode = ModeType == null ? null
        : typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
    private static readonly MethodInfo? SetMode = ModeType == null ? null
        : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), ModeType });
    private static readonly MethodInfo? CreateDir = ModeType == null ? null
        : typeof(Directory).GetMethod("CreateDirectory", new[] { typeof(string), ModeType });
    private static readonly ConstructorInfo? StreamWithOptions = OptionsType == null ? null
        : typeof(FileStream).GetConstructor(new[] { typeof(string), OptionsType });

    public static bool IsAvailable => GetMode != null && SetMode != null && CreateDir != null && StreamWithOptions != null;

    private static void EnsureAvailable()
    {
        if (!IsAvailable)
            throw new PlatformNotSupportedException("This runtime lacks the Unix file mode APIs (.NET 7 or later is required on Unix).");
    }

    public static int GetFileMode(string path)
    {
        EnsureAvailable();
        return Convert.ToInt32(Invoke(GetMode!, path));
    }

    public static void SetFileMode(string path, int mode)
    {
        EnsureAvailable();
        Invoke(SetMode!, path, Enum.ToObject(ModeType!, mode));
    }

    public static void CreateDirectory(string path, int mode)
    {
        EnsureAvailable();
        Invoke(CreateDir!, path, Enum.ToObject(ModeType!, mode));
    }

    /// <summary>Creates a new file (failing if it exists) whose mode is set by open(2) itself.</summary>
    public static FileStream CreateNew(string path, int mode)
    {
        EnsureAvailable();
        var options = Activator.CreateInstance(OptionsType!)!;
        OptionsType!.GetProperty("Mode")!.SetValue(options, FileMode.CreateNew);
        OptionsType.GetProperty("Access")!.SetValue(options, FileAccess.Write);
        OptionsType.GetProperty("Share")!.SetValue(options, FileShare.None);
        OptionsType.GetProperty("UnixCreateMode")!.SetValue(options, Enum.ToObject(ModeType!, mode));
        try
        {
            return (FileStream)StreamWithOptions!.Invoke(new[] { path, options });
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId() => Native(GetEUid);

    /// <summary>lstat(2): the path itself, a symbolic link not followed. Null when it does not exist.</summary>
    public static UnixFileStatus? LinkStatus(string path) => Status(path, followLinks: false);

    /// <summary>stat(2): what the path leads to, links followed. Null when it does not exist.</summary>
    public static UnixFileStatus? FollowedStatus(string path) => Status(path, followLinks: true);

    /// <summary>realpath(3): the path with every symbolic link resolved.</summary>
    public static string RealPath(string path)
    {
        var result = Native(() => RealPathNative(Utf8(path)));
        if (result == IntPtr.Zero)
            throw new IOException($"Could not resolve '{path}' (errno {Marshal.GetLastWin32Error()}).");
        try
        {
            return FromUtf8(result);
        }
        finally
        {
            // The shim returns malloc'd memory; FreeCoTaskMem is free(3) on Unix.
            Marshal.FreeCoTaskMem(result);
        }
    }

    private static UnixFileStatus? Status(string path, bool followLinks)
    {
        var buffer = Marshal.AllocHGlobal(StatusBufferBytes);
        try
        {
            var bytes = Utf8(path);
            var rc = Native(() => followLinks ? StatNative(bytes, buffer) : LStatNative(bytes, buffer));
            if (rc != 0)
            {
                var errno = Marshal.GetLastWin32Error();
                // ENOENT and ENOTDIR mean "not there"; the shim returns the raw errno.
                if (errno == 2 || errno == 20) return null;
                throw new IOException($"Could not inspect '{path}' (errno {errno}).");
            }
            // FileStatus: int32 Flags, int32 Mode, uint32 Uid, uint32 Gid, int64 Size, ...
            var mode = Marshal.ReadInt32(buffer, 4);
            var uid = unchecked((uint)Marshal.ReadInt32(buffer, 8));
            var gid = unchecked((uint)Marshal.ReadInt32(buffer, 12));
            var size = Marshal.ReadInt64(buffer, 16);
            return new UnixFileStatus(mode, uid, size, gid);
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    /// <summary>A runtime without the shim (not .NET on Unix) fails like an unreadable file, never with a raw loader error.</summary>
    private static T Native<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
        {
            throw new IOException("This runtime does not offer lstat(2) through libSystem.Native; NaraAuth needs PowerShell 7.4 or later on Unix.", e);
        }
    }

    /// <summary>A NUL-terminated UTF-8 string for a native call.</summary>
    internal static byte[] Utf8(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
        return bytes;
    }

    /// <summary>A NUL-terminated UTF-8 string from native memory (empty for a null pointer).</summary>
    internal static string FromUtf8(IntPtr text)
    {
        if (text == IntPtr.Zero) return string.Empty;
        var length = 0;
        while (Marshal.ReadByte(text, length) != 0) length++;
        var bytes = new byte[length];
        Marshal.Copy(text, bytes, 0, length);
        return Encoding.UTF8.GetString(bytes);
    }

    [DllImport(Shim, EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStatNative(byte[] path, IntPtr status);

    [DllImport(Shim, EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int StatNative(byte[] path, IntPtr status);

    [DllImport(Shim, EntryPoint = "SystemNative_GetEUid")]
    private static extern uint GetEUid();

    [DllImport(Shim, EntryPoint = "SystemNative_RealPath", SetLastError = true)]
    private static extern IntPtr RealPathNative(byte[] path);

    private static object? Invoke(MethodInfo method, params object[] args)
    {
        try
        {
            return method.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            // Surface the runtime's IOException/UnauthorizedAccessException, not the wrapper.
            throw e.InnerException;
        }
    }
}
