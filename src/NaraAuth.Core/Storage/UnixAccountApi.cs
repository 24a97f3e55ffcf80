using System;
using System.IO;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The account calls a hand-over to the runtime's account needs on Unix. Lookups go through the
/// runtime's native shim (libSystem.Native, see <see cref="UnixFileApi"/>), whose Passwd struct is
/// the same on every platform and which wraps the thread-safe getpwnam_r/getpwuid_r (NSS, LDAP and
/// sssd accounts included). Changing an owner is not in the shim, so fchown(2) and lchown(2) come
/// from libc; their uid_t and gid_t are 32-bit on Linux and macOS alike.
/// </summary>
internal static class UnixAccountApi
{
    private const string Shim = "libSystem.Native";
    private const int ErrorRange = 34; // ERANGE: the buffer was too small
    private const int MaxBufferBytes = 1 << 20;

    /// <summary>The account named <paramref name="name"/>, or null when the user database has none.</summary>
    public static UnixAccount? ByName(string name) => Lookup(name, (pwd, buffer, size) => GetPwNamR(UnixFileApi.Utf8(name), pwd, buffer, size));

    /// <summary>The account with <paramref name="uid"/>, or null when the user database has none.</summary>
    public static UnixAccount? ById(uint uid) => Lookup("uid " + uid, (pwd, buffer, size) => GetPwUidR(uid, pwd, buffer, size));

    /// <summary>fchown(2) on an open file: the owner changes with no path that could be swapped in between.</summary>
    public static void ChangeOwner(SafeHandle file, uint uid, uint gid)
    {
        var fd = file.DangerousGetHandle().ToInt32();
        var rc = Libc(() => FChownLibc6(fd, uid, gid), () => FChownLibc(fd, uid, gid));
        if (rc != 0) throw OwnerChangeFailed("the new file", uid);
    }

    /// <summary>lchown(2): the path itself, a symbolic link never followed.</summary>
    public static void ChangeOwner(string path, uint uid, uint gid)
    {
        var bytes = UnixFileApi.Utf8(path);
        var rc = Libc(() => LChownLibc6(bytes, uid, gid), () => LChownLibc(bytes, uid, gid));
        if (rc != 0) throw OwnerChangeFailed($"'{path}'", uid);
    }

    private static Exception OwnerChangeFailed(string what, uint uid)
    {
        var errno = Marshal.GetLastWin32Error();
        var message = $"Could not give {what} to uid {uid} (errno {errno}).";
        // EPERM: only root may give a file away.
        return errno == 1 ? new UnauthorizedAccessException(message) : new IOException(message);
    }

    private delegate int PasswdCall(IntPtr passwd, IntPtr buffer, int size);

    private static UnixAccount? Lookup(string what, PasswdCall call)
    {
        // Passwd: char* Name, char* Password, uint32 UserId, uint32 GroupId, then three pointers.
        var passwd = Marshal.AllocHGlobal(IntPtr.Size * 6 + 8);
        try
        {
            for (var size = 4096; ; size *= 2)
            {
                var buffer = Marshal.AllocHGlobal(size);
                try
                {
                    int rc;
                    try
                    {
                        rc = call(passwd, buffer, size);
                    }
                    catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                    {
                        throw new IOException("This runtime does not offer the user database through libSystem.Native; NaraAuth needs PowerShell 7.4 or later on Unix.", e);
                    }
                    if (rc == 0)
                    {
                        var name = UnixFileApi.FromUtf8(Marshal.ReadIntPtr(passwd, 0));
                        var uid = unchecked((uint)Marshal.ReadInt32(passwd, IntPtr.Size * 2));
                        var gid = unchecked((uint)Marshal.ReadInt32(passwd, IntPtr.Size * 2 + 4));
                        return new UnixAccount(name, uid, gid);
                    }
                    // -1: no such entry; a positive value is the errno of the lookup.
                    if (rc == -1) return null;
                    if (rc == ErrorRange && size < MaxBufferBytes) continue;
                    throw new IOException($"Could not look up the account {what} (errno {rc}).");
                }
                finally
                {
                    Marshal.FreeHGlobal(buffer);
                }
            }
        }
        finally
        {
            Marshal.FreeHGlobal(passwd);
        }
    }

    /// <summary>glibc names its library libc.so.6 (a bare libc.so is a linker script, or absent); macOS and musl answer to libc.</summary>
    private static int Libc(Func<int> libc6, Func<int> libc)
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
                throw new IOException("Could not load libc to change a file's owner.", e);
            }
        }
    }

    [DllImport(Shim, EntryPoint = "SystemNative_GetPwNamR")]
    private static extern int GetPwNamR(byte[] name, IntPtr passwd, IntPtr buffer, int size);

    [DllImport(Shim, EntryPoint = "SystemNative_GetPwUidR")]
    private static extern int GetPwUidR(uint uid, IntPtr passwd, IntPtr buffer, int size);

    [DllImport("libc.so.6", EntryPoint = "fchown", SetLastError = true)]
    private static extern int FChownLibc6(int fd, uint uid, uint gid);

    [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static extern int FChownLibc(int fd, uint uid, uint gid);

    [DllImport("libc.so.6", EntryPoint = "lchown", SetLastError = true)]
    private static extern int LChownLibc6(byte[] path, uint uid, uint gid);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int LChownLibc(byte[] path, uint uid, uint gid);
}
