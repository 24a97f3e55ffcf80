using System.Runtime.InteropServices;

namespace NaraAuth.Emulator;

/// <summary>
/// A program started in the background by a non-interactive shell (CI scripts, `cmd &`) inherits
/// SIGINT and SIGQUIT as ignored, and the runtime keeps an inherited "ignore" even for a registered
/// handler. The emulator is meant to be stopped by a signal from whoever started it, so it takes
/// the default disposition back before the host registers its handlers.
/// </summary>
internal static class InheritedSignals
{
    private const int SigInt = 2;
    private static readonly IntPtr Default = IntPtr.Zero; // SIG_DFL

    public static void RestoreInterrupt()
    {
        if (OperatingSystem.IsWindows()) return;
        signal(SigInt, Default);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr signal(int signum, IntPtr handler);
}
