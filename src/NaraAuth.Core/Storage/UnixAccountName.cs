using System;
using System.Runtime.InteropServices;
using System.Text;

namespace NaraAuth.Core.Storage;

/// <summary>
/// A Unix user id's account name (getpwuid_r(3)), through the runtime's own native shim like
/// <see cref="UnixFileApi"/>: the shim's Passwd struct starts with the name pointer on every
/// platform, where libc's struct passwd does not share one layout.
/// </summary>
internal static class UnixAccountName
{
    private const int PasswdBytes = 256;
    private const int TextBytes = 16 * 1024;

    /// <summary>The account name, or "uid N" when the user database does not know it.</summary>
    public static string Of(uint uid)
    {
        var passwd = Marshal.AllocHGlobal(PasswdBytes);
        var text = Marshal.AllocHGlobal(TextBytes);
        try
        {
            if (GetPwUidR(uid, passwd, text, TextBytes) == 0)
            {
                var name = Marshal.ReadIntPtr(passwd);
                if (name != IntPtr.Zero) return FromUtf8(name);
            }
        }
        catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
        {
            // A runtime without the shim: the number still says who owns the file.
        }
        finally
        {
            Marshal.FreeHGlobal(passwd);
            Marshal.FreeHGlobal(text);
        }
        return "uid " + uid;
    }

    private static string FromUtf8(IntPtr value)
    {
        var length = 0;
        while (length < TextBytes && Marshal.ReadByte(value, length) != 0) length++;
        var bytes = new byte[length];
        Marshal.Copy(value, bytes, 0, length);
        return Encoding.UTF8.GetString(bytes);
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_GetPwUidR", SetLastError = false)]
    private static extern int GetPwUidR(uint uid, IntPtr passwd, IntPtr buffer, int bufferLength);
}
