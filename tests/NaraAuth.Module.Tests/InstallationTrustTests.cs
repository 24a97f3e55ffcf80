using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using NaraAuth.TestSupport.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>
/// Trust only what the invoker vetted, through the engine (docs/decisions/installation-trust.md):
/// root onboarding for a runtime account that owns its installation folder or its config.json,
/// and a user in a folder someone else made (a cloned repository). Nothing such a file says
/// creates a file in a folder of root's, hands a token over, or sends a login to the server it
/// names: a canary listener fails the test if anything connects to it.
/// </summary>
// Unix calls only after RequireRoot, which skips on Windows.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallationTrustTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly Canary _canary = new();
    private readonly List<string> _accounts = new();

    public InstallationTrustTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    public void Dispose()
    {
        _canary.Dispose();
        foreach (var name in _accounts)
        {
            if (Run("userdel", name) != 0) Run("userdel", "-f", name);
        }
    }

    private static void RequireRoot()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix owners; Windows reparse points and ACLs are proven by the Core SDDL tests and the Windows Pester job.");
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "Files owned by the runtime account and a third user need root (useradd).");
    }

    /// <summary>A local account made for this test and removed after it; its uid.</summary>
    private int Account(string role)
    {
        var name = role + Guid.NewGuid().ToString("N").Substring(0, 8);
        Assert.Equal(0, Run("useradd", "-M", "-N", "-g", "nogroup", "-s", "/usr/sbin/nologin", "-p", "*", name));
        _accounts.Add(name);
        return int.Parse(Output("id", "-u", name));
    }

    private string AccountName(int index) => _accounts[index];

    private static void Chown(string path, int uid) => Assert.Equal(0, Run("chown", "-h", uid.ToString(), path));

    private static int Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        Assert.True(p.WaitForExit(30_000), program + " hung");
        return p.ExitCode;
    }

    private static string Output(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        Assert.True(p.WaitForExit(30_000), program + " hung");
        return text;
    }

    /// <summary>A folder of root's, 0700, with one file: what the runtime account must never reach.</summary>
    private static string RootOnlyFolder(PsSession session)
    {
        var vault = Path.Combine(session.TempDir, "vault");
        Directory.CreateDirectory(vault);
        File.SetUnixFileMode(vault, (UnixFileMode)0x1C0);
        File.WriteAllText(Path.Combine(vault, "keep.txt"), "root's");
        return vault;
    }

    private static void AssertUntouched(string vault)
    {
        Assert.Equal(new[] { Path.Combine(vault, "keep.txt") }, Directory.GetFileSystemEntries(vault));
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(vault));
        Assert.Equal("root's", File.ReadAllText(Path.Combine(vault, "keep.txt")));
    }

    /// <summary>An installation folder reachable by the runtime account, owned by it when asked, with a config.json it wrote (none for null).</summary>
    private static string Installation(PsSession session, int account, bool accountOwnsFolder, string? configJson)
    {
        File.SetUnixFileMode(session.TempDir, (UnixFileMode)0x1ED);
        var install = Path.Combine(session.TempDir, "edge");
        Directory.CreateDirectory(install);
        File.SetUnixFileMode(install, (UnixFileMode)0x1ED);
        if (accountOwnsFolder) Chown(install, account);
        if (configJson == null) return install;
        var config = Path.Combine(install, "config.json");
        File.WriteAllText(config, configJson);
        Chown(config, account);
        return install;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Connect_for_the_runtime_account_creates_nothing_where_its_config_json_points(bool accountOwnsFolder)
    {
        RequireRoot();
        using var session = new PsSession(installationFolder: false);
        var account = Account("nrt");
        var vault = RootOnlyFolder(session);
        var install = Installation(session, account, accountOwnsFolder,
            "{\"authTokenPath\": \"" + Path.Combine(vault, "ld.so.preload") + "\", \"platformUrl\": \"" + _canary.Url + "\"}");
        var jwt = _emulator.State.MintToken();

        var result = session.Run("Connect-EdgeConnector -Token $args[0] -InstallPath $args[1] -RuntimeAccount $args[2] -SkipBundleSync",
            jwt, install, AccountName(0));

        var error = result.AssertError("ConfigFileUntrusted", ErrorCategory.SecurityError);
        Assert.Contains("-BaseUrl", error.ErrorDetails.RecommendedAction);
        Assert.Contains(accountOwnsFolder ? "uid" : AccountName(0), error.ErrorDetails.Message ?? error.Exception.Message);
        AssertUntouched(vault);
        Assert.Equal(new[] { "config.json" }, Directory.GetFileSystemEntries(install).Select(Path.GetFileName).ToArray());
        _canary.AssertNeverReached();
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Roots_token_is_never_verified_against_the_server_the_runtime_accounts_config_json_names()
    {
        RequireRoot();
        using var session = new PsSession(installationFolder: false);
        var account = Account("nrt");
        // root's own login, in a folder of root's.
        var rootsToken = Path.Combine(session.Home, "root-edge", "auth-token.json");
        var jwt = _emulator.State.MintToken(subject: "root_login");
        Assert.Null(session.Run("Connect-EdgeConnector -Token $args[0] -Path $args[1] -BaseUrl $args[2] -SkipBundleSync", jwt, rootsToken, _emulator.BaseUrl).Error);
        var install = Installation(session, account, accountOwnsFolder: true,
            "{\"authTokenPath\": \"" + rootsToken + "\", \"platformUrl\": \"" + _canary.Url + "\"}");

        var verify = session.Run("Get-AuthToken -InstallPath $args[0] -Verify", install);
        verify.AssertError("ConfigFileUntrusted", ErrorCategory.SecurityError);
        var status = session.Run("Get-NaraAuthStatus -InstallPath $args[0] -Kind EdgeConnectorToken -Verify", install);
        dynamic record = status.Single<object>();
        Assert.Equal("Invalid", record.State.ToString());
        Assert.Contains("ConfigFileUntrusted", (string)record.Problem);
        var connect = session.Run("Connect-EdgeConnector -Token $args[0] -InstallPath $args[1] -RuntimeAccount $args[2] -SkipBundleSync", jwt, install, AccountName(0));
        connect.AssertError("ConfigFileUntrusted", ErrorCategory.SecurityError);

        Assert.Equal("0", Output("stat", "-c", "%u", rootsToken));
        Assert.Equal(jwt, TokenIn(rootsToken));
        _canary.AssertNeverReached();
        verify.AssertNoSecret(jwt);
        status.AssertNoSecret(jwt);
        connect.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_valid_token_a_third_user_planted_in_the_installation_is_not_adopted_nor_handed_over()
    {
        RequireRoot();
        using var session = new PsSession(installationFolder: false);
        var account = Account("nrt");
        var third = Account("n3p");
        var install = Installation(session, account, accountOwnsFolder: true, configJson: null);
        var planted = _emulator.State.MintToken(subject: "planted");
        var token = Path.Combine(install, "auth-token.json");
        WriteTokenFile(token, planted);
        Chown(token, third);

        var jwt = _emulator.State.MintToken(subject: "fresh");
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -InstallPath $args[1] -RuntimeAccount $args[2] -BaseUrl $args[3] -SkipBundleSync",
            jwt, install, AccountName(0), _emulator.BaseUrl);

        Assert.Null(result.Error);
        dynamic connection = result.Single<object>();
        Assert.Equal("Connected", connection.Status.ToString());
        Assert.DoesNotContain("Already connected", result.HostText);
        Assert.Equal(jwt, TokenIn(token));
        Assert.Equal(account.ToString(), Output("stat", "-c", "%u", token));
        result.AssertNoSecret(jwt);
        result.AssertNoSecret(planted);
    }

    [Fact]
    public void In_a_cloned_repository_a_config_json_cannot_send_the_stored_login_or_deployment_secret_anywhere()
    {
        // No root needed: the user's own login and a checkout someone else prepared.
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The Pester hostile-checkout case runs this on Windows too.");
        using var session = new PsSession(installationFolder: false);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken();
        Assert.Null(session.Run("Connect-EdgeConnector -Token $args[0] -SkipBundleSync", jwt).Error);
        session.SetEnv("NARA_BASE_URL", null);
        var stored = Path.Combine(session.Home, ".config", "naraauth", "edge-connector", "auth-token.json");
        File.WriteAllText(Path.Combine(session.WorkDir, "config.json"), "{\"authTokenPath\": \"" + stored + "\", \"platformUrl\": \"" + _canary.Url + "\"}");
        session.SetEnv("DEPLOYMENT_ID", "dep_abc123");
        session.SetEnv("DEPLOYMENT_SECRET", "sec_xyz789");

        var status = session.Run("Get-NaraAuthStatus -Verify");
        var verify = session.Run("Get-AuthToken -Verify");
        // Named explicitly, another platform still does not get a login saved for the emulator.
        var elsewhere = session.Run("Get-AuthToken -Verify -BaseUrl $args[0]", _canary.Url);
        elsewhere.AssertError("StoredTokenOtherPlatform", ErrorCategory.SecurityError);
        var call = session.Run("Invoke-NaraRestMethod -Path /api/me -BaseUrl $args[0]", _canary.Url);
        call.AssertError("StoredTokenOtherPlatform", ErrorCategory.SecurityError);
        // The server-token review lists tokens with the same login, under the same rule.
        var review = session.Run("Get-NaraAuthStatus -RotationAge ([timespan]::FromDays(90)) -BaseUrl $args[0]", _canary.Url);
        Assert.Empty(review.Errors);
        Assert.Contains(review.Warnings, w => w.Message.Contains("server tokens' age was not checked") && w.Message.Contains("was not sent"));

        _canary.AssertNeverReached();
        foreach (var r in new[] { status, verify, elsewhere, call, review })
        {
            r.AssertNoSecret(jwt);
            r.AssertNoSecret("sec_xyz789");
        }
    }

    /// <summary>A loopback listener that records every connection: reached means a credential could have been sent.</summary>
    private sealed class Canary : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _connections;

        public Canary()
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                        Interlocked.Increment(ref _connections);
                    }
                    catch (Exception e) when (e is OperationCanceledException || e is SocketException || e is ObjectDisposedException)
                    {
                        return;
                    }
                }
            });
        }

        public string Url { get; }

        public void AssertNeverReached() => Assert.True(Volatile.Read(ref _connections) == 0, $"The canary at {Url} was reached {_connections} time(s).");

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try { _loop.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
            _stop.Dispose();
        }
    }
}
