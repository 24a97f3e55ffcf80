using System.Diagnostics;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>
/// Two local accounts made for one test class and removed after it (root only): the account the
/// Edge Connector runs as, and a third user who is neither it nor root. Without root nothing is
/// created, and the tests that need them skip with the reason.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ThrowawayAccounts : IDisposable
{
    private readonly List<string> _made = new();

    public ThrowawayAccounts()
    {
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess) return;
        var tag = Guid.NewGuid().ToString("N").Substring(0, 8);
        Runtime = Make("nrt" + tag);
        Third = Make("n3p" + tag);
    }

    /// <summary>The runtime account (svc-edge in the documentation).</summary>
    internal UnixAccount Runtime { get; }

    /// <summary>Another local user, neither root nor the runtime account.</summary>
    internal UnixAccount Third { get; }

    public RuntimeAccount RuntimeAccount => NaraAuth.Core.Storage.RuntimeAccount.ForWriting(Runtime.Name, new FakeEnvironment { IsWindows = false });

    private UnixAccount Make(string name)
    {
        Run("useradd", "-M", "-N", "-g", "nogroup", "-s", "/usr/sbin/nologin", "-p", "*", name);
        _made.Add(name);
        return UnixAccountApi.ByName(name) ?? throw new InvalidOperationException("useradd made no " + name);
    }

    public void Dispose()
    {
        foreach (var name in _made)
        {
            try { Run("userdel", name); } catch (InvalidOperationException) { Run("userdel", "-f", name); }
        }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        if (!p.WaitForExit(30_000)) throw new InvalidOperationException(program + " hung");
        if (p.ExitCode != 0) throw new InvalidOperationException(program + " failed: " + p.StandardError.ReadToEnd());
    }
}
