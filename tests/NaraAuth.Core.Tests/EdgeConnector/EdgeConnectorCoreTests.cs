using System.Net.WebSockets;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Browser;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Storage;
using NaraAuth.Emulator;

namespace NaraAuth.Core.Tests.EdgeConnector;

public class InteractivityTests
{
    [Theory]
    [InlineData("-NonInteractive", true)]
    [InlineData("-noni", true)]
    [InlineData("/NonInteractive", true)]
    [InlineData("-non", false)]
    [InlineData("-NoLogo", false)]
    [InlineData("-NoProfile", false)]
    public void Recognises_pwsh_NonInteractive_and_its_abbreviations(string arg, bool expected) =>
        Assert.Equal(expected, Interactivity.IsNonInteractiveSwitch(arg));

    [Fact]
    public void Console_host_without_input_or_with_NonInteractive_is_not_interactive()
    {
        var env = new FakeEnvironment();
        Assert.Null(Interactivity.WhyNonInteractive(env, "ConsoleHost", false, new[] { "pwsh", "-NoProfile" }, true));
        Assert.Contains("redirected", Interactivity.WhyNonInteractive(env, "ConsoleHost", true, new[] { "pwsh" }, true));
        Assert.Contains("-NonInteractive", Interactivity.WhyNonInteractive(env, "ConsoleHost", false, new[] { "pwsh", "-noni", "-c", "x" }, true));
        Assert.Contains("remote", Interactivity.WhyNonInteractive(env, "ServerRemoteHost", false, Array.Empty<string>(), true));
        Assert.Contains("service", Interactivity.WhyNonInteractive(env, "ConsoleHost", false, Array.Empty<string>(), false));
        // Other hosts (editors, test hosts) have their own UI; redirected console input says nothing about them.
        Assert.Null(Interactivity.WhyNonInteractive(env, "Visual Studio Code Host", true, Array.Empty<string>(), true));
    }

    [Theory]
    [InlineData("TF_BUILD", "True", true)]
    [InlineData("GITHUB_ACTIONS", "true", true)]
    [InlineData("CI", "1", true)]
    [InlineData("CI", "false", false)]
    public void CI_variables_mean_nobody_is_there(string name, string value, bool ci)
    {
        var env = new FakeEnvironment();
        env.Variables[name] = value;
        Assert.Equal(ci, Interactivity.WhyNonInteractive(env, "ConsoleHost", false, Array.Empty<string>(), true) != null);
    }

    [Fact]
    public void The_error_names_both_headless_modes()
    {
        var e = Interactivity.NonInteractiveError("this is a CI job");
        Assert.Equal("BrowserLoginNotInteractive", e.ErrorId);
        Assert.Contains("-Token", e.Message);
        Assert.Contains("-DeploymentId", e.Message);
        Assert.Contains("DEPLOYMENT_CREDENTIALS_PATH", e.Message);
    }
}

public class SystemBrowserLauncherTests
{
    [Theory]
    [InlineData("firefox", "firefox", "https://x/?a=1")]
    [InlineData("firefox --new-window %s", "firefox", "--new-window https://x/?a=1")]
    [InlineData("'/opt/My Browser/run' -u %s", "/opt/My Browser/run", "-u https://x/?a=1")]
    public void BROWSER_entries_become_a_program_and_arguments(string entry, string file, string arguments)
    {
        var (f, a) = SystemBrowserLauncher.BuildCommand(entry, "https://x/?a=1");
        Assert.Equal(file, f);
        Assert.Equal(arguments, a);
    }

    [Fact]
    public void Without_BROWSER_or_a_display_on_Linux_it_says_why_nothing_opened()
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) Assert.Skip("Linux rule");
        var result = new SystemBrowserLauncher(new FakeEnvironment()).Open("https://app.nara.de/desktop/approve?code=X");
        Assert.False(result.Started);
        Assert.Contains("no browser", result.Description);
    }

    [Fact]
    public void A_BROWSER_that_cannot_start_is_named_in_the_reason()
    {
        var env = new FakeEnvironment();
        env.Variables["BROWSER"] = "/nonexistent/browser-x";
        var result = new SystemBrowserLauncher(env).Open("https://app.nara.de/");
        Assert.False(result.Started);
        Assert.Contains("/nonexistent/browser-x", result.Description);
    }

    [Fact]
    public void Non_http_urls_are_never_opened()
    {
        var env = new FakeEnvironment();
        env.Variables["BROWSER"] = "/bin/true";
        Assert.False(new SystemBrowserLauncher(env).Open("file:///etc/passwd").Started);
    }
}

public class DeploymentCredentialsTests
{
    private static SecureFileStore Store(FakeEnvironment? environment = null) => new(environment ?? new FakeEnvironment());

    [Fact]
    public void Parameters_win_then_the_environment_pair_then_the_file()
    {
        var env = new FakeEnvironment();
        using var tmp_dir = new TempDir();
        var dir = tmp_dir.Path;
        File.WriteAllText(Path.Combine(dir, "c.json"), "{\"deploymentId\":\"dep_file\",\"deploymentSecret\":\"s3\"}");
        env.Variables["DEPLOYMENT_CREDENTIALS_PATH"] = "c.json";
        Assert.Equal(DeploymentCredentialSource.CredentialsFile, DeploymentCredentials.Resolve(null, null, env, dir, Store(env)).Source);
        env.Variables["DEPLOYMENT_ID"] = "dep_env";
        env.Variables["DEPLOYMENT_SECRET"] = "s2";
        Assert.Equal("dep_env", DeploymentCredentials.Resolve(null, null, env, dir, Store(env)).DeploymentId);
        var p = DeploymentCredentials.Resolve("dep_param", "s1", env, dir, Store(env));
        Assert.Equal(("dep_param", "s1", DeploymentCredentialSource.Parameters), (p.DeploymentId, p.DeploymentSecret, p.Source));
        Assert.DoesNotContain("s1", p.ToString());
    }

    [Fact]
    public void Half_a_pair_is_an_error_that_never_shows_the_secret()
    {
        var env = new FakeEnvironment();
        env.Variables["DEPLOYMENT_SECRET"] = "topsecret";
        var e = Assert.Throws<NaraAuthException>(() => DeploymentCredentials.Resolve(null, null, env, "/", Store(env)));
        Assert.Equal("DeploymentEnvironmentIncomplete", e.ErrorId);
        Assert.DoesNotContain("topsecret", e.Message);
        Assert.Equal("DeploymentParameterMissing", Assert.Throws<NaraAuthException>(() => DeploymentCredentials.Resolve("dep_x", null, env, "/", Store(env))).ErrorId);
        Assert.Equal("DeploymentCredentialsNotFound", Assert.Throws<NaraAuthException>(() => DeploymentCredentials.Resolve(null, null, new FakeEnvironment(), "/", Store())).ErrorId);
    }

    [Fact]
    public void Saved_file_round_trips()
    {
        using var tmp_dir = new TempDir();
        var dir = tmp_dir.Path;
        var path = Path.Combine(dir, "sub", "d.json");
        new DeploymentCredentials("dep_1", "s\"e/c", DeploymentCredentialSource.Parameters).Save(new SecureFileStore(new FakeEnvironment()), path);
        var read = DeploymentCredentials.ReadFile(Store(), path);
        Assert.Equal(("dep_1", "s\"e/c"), (read.DeploymentId, read.DeploymentSecret));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}

public class DeviceIdentityTests
{
    [Fact]
    public void Created_once_owner_only_and_reused()
    {
        using var config = new TempDir();
        var env = new FakeEnvironment { ConfigDirectory = config.Path };
        var store = new SecureFileStore(env);
        var first = DeviceIdentity.GetOrCreate(env, store);
        Assert.Equal(first, DeviceIdentity.GetOrCreate(env, store));
        var path = DeviceIdentity.PathFor(env);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
        File.WriteAllText(path, "garbage");
        Assert.NotEqual(first, DeviceIdentity.GetOrCreate(env, store));
    }

    [Fact]
    public void Machines_sharing_a_profile_each_keep_their_own_id()
    {
        using var tmp_shared = new TempDir();
        var shared = tmp_shared.Path;
        var a = new FakeEnvironment { ConfigDirectory = shared, MachineName = "host-a" };
        var b = new FakeEnvironment { ConfigDirectory = shared, MachineName = "host-b" };
        var idA = DeviceIdentity.GetOrCreate(a, new SecureFileStore(a));
        var idB = DeviceIdentity.GetOrCreate(b, new SecureFileStore(b));
        Assert.NotEqual(idA, idB);
        Assert.Equal(idA, DeviceIdentity.GetOrCreate(a, new SecureFileStore(a)));
        Assert.Equal(idB, DeviceIdentity.GetOrCreate(b, new SecureFileStore(b)));
    }
}

public class TokenInputTests
{
    [Fact]
    public void Existing_file_is_read_otherwise_the_value_is_a_raw_jwt()
    {
        using var tmp_dir = new TempDir();
        var dir = tmp_dir.Path;
        File.WriteAllText(Path.Combine(dir, "t.json"), "{\"token\":\"a.b.c\"}");
        var store = new SecureFileStore(new FakeEnvironment());
        Assert.Equal(("a.b.c", Path.Combine(dir, "t.json")), TokenInput.Resolve("t.json", dir, store));
        Assert.Equal(("x.y.z", (string?)null), TokenInput.Resolve(" x.y.z ", dir, store));
        Assert.Equal("TokenFileNotFound", Assert.Throws<NaraAuthException>(() => TokenInput.Resolve("./missing.json", dir, store)).ErrorId);
    }
}

/// <summary>The real WebSocket handshake against the emulator (docs/protocol.md 1.2).</summary>
public class EdgeConnectorSocketTests
{
    [Fact]
    public async Task Deployment_credentials_and_bearer_tokens_are_checked_by_the_handshake()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);
        var socket = new EdgeConnectorSocket(new ApiClient(server.BaseUrl));
        await socket.VerifyAsync(new DeploymentCredentials("dep_abc123", "sec_xyz789", DeploymentCredentialSource.Parameters), TestContext.Current.CancellationToken);
        Assert.Contains("deployment:dep_abc123", server.State.EdgeConnector.AcceptedSockets);

        var e = await Assert.ThrowsAsync<NaraAuthException>(() =>
            socket.VerifyAsync(new DeploymentCredentials("dep_abc123", "nope", DeploymentCredentialSource.Parameters), TestContext.Current.CancellationToken));
        Assert.Equal("DeploymentCredentialsRejected", e.ErrorId);
        Assert.DoesNotContain("nope", e.Message);

        // The same endpoint accepts a platform JWT as Bearer, and refuses a forged one.
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + server.State.MintToken(subject: "user_ws"));
        await ws.ConnectAsync(new Uri(server.BaseUrl.ToString().Replace("http://", "ws://") + "api/edge-connector/ws"), TestContext.Current.CancellationToken);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", TestContext.Current.CancellationToken);
        Assert.Contains("bearer:user_ws", server.State.EdgeConnector.AcceptedSockets);
        using var forged = new ClientWebSocket();
        forged.Options.SetRequestHeader("Authorization", "Bearer a.b.c");
        await Assert.ThrowsAsync<WebSocketException>(() => forged.ConnectAsync(new Uri(server.BaseUrl.ToString().Replace("http://", "ws://") + "api/edge-connector/ws"), TestContext.Current.CancellationToken));
    }
}
