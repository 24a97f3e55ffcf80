using System.Diagnostics;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>
/// Unix fixtures the runtime has no API for: files owned by another user (needs root), symbolic
/// links owned by another user, named pipes. Tests that use them skip on Windows, where the
/// folder rule is proven on synthetic ACLs instead.
/// </summary>
internal static class UnixTestTools
{
    /// <summary>nobody: an account that is neither root nor the test's user.</summary>
    public const int OtherUser = 65534;

    public static void RequireUnix() => Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix modes, owners and FIFOs; Windows is proven on synthetic ACLs.");

    /// <summary>Files owned by another user can only be made by root.</summary>
    public static void RequireRoot()
    {
        RequireUnix();
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "Making a file owned by another user needs root.");
    }

    /// <summary>chown -h: the link itself, not what it points to.</summary>
    public static void ChownNoFollow(string path, int uid) => Run("chown", "-h", uid.ToString(), path);

    public static void MakeFifo(string path) => Run("mkfifo", path);

    public static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        Assert.True(p.WaitForExit(10_000), program + " hung");
        Assert.True(p.ExitCode == 0, program + " failed: " + p.StandardError.ReadToEnd());
    }

    /// <summary>Runs <paramref name="action"/> with a time bound, so a read that blocks fails the test instead of hanging it.</summary>
    public static T Within<T>(TimeSpan limit, Func<T> action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(limit), $"Did not finish within {limit.TotalSeconds} s (it blocked).");
        return task.GetAwaiter().GetResult();
    }

    public static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);
}
