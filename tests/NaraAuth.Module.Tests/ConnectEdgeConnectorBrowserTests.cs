using System.Diagnostics;
using System.Management.Automation;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;
using NaraAuth.TestSupport.EdgeConnector;

namespace NaraAuth.Module.Tests;

/// <summary>
/// The browser (desktop) login end to end: the module opens the test's browser double, the test
/// plays the person on the emulator's approval page, the module polls, validates and saves.
/// </summary>
public class ConnectEdgeConnectorBrowserTests : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly EmulatorFixture _emulator;

    public ConnectEdgeConnectorBrowserTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
        _emulator.State.EdgeConnector.IntervalSeconds = 0.2; // fast tests; the client honours any interval
    }

    private string Url => _emulator.BaseUrl;

    /// <summary>A session whose device id file lands in its private home on every OS (LOCALAPPDATA is used on Windows).</summary>
    private static PsSession NewSession()
    {
        var session = new PsSession();
        session.SetEnv("LOCALAPPDATA", Path.Combine(session.Home, ".config"));
        return session;
    }

    private string LatestToken => _emulator.State.EdgeConnector.Logins.Single().Token!;

    [Fact]
    public void Approved_login_saves_the_token_owner_only_with_the_bundle_and_shows_code_and_url_on_the_host()
    {
        using var session = NewSession();
        var browser = new BrowserDouble(session);
        var target = Path.Combine(session.TempDir, "ec", "secure", "auth-token.json");

        // $c = ...: the code must still reach the person (the Connect-MgGraph -UseDeviceCode trap).
        using var running = session.Start("$c = Connect-EdgeConnector -TokenPath $args[0] -BaseUrl $args[1]; $c", target, Url);
        var url = browser.WaitForUrl(Patience);
        var login = _emulator.State.EdgeConnector.Logins.Single();
        Assert.True(running.WaitForHostText(login.Code, Patience), "The code was not shown.");
        var code = BrowserDouble.Answer(url, "approve", expectedCode: login.Code);
        var result = running.Finish(Patience);

        dynamic c = result.Single<object>();
        Assert.Equal("Browser", (string)c.Mode.ToString());
        Assert.Equal("Connected", (string)c.Status.ToString());
        Assert.Equal("org_1", (string)c.Organization);
        Assert.Equal("user_1", (string)c.Subject);
        AssertPrivate(target);
        Assert.Equal(LatestToken, TokenIn(target));
        AssertPrivate(Path.Combine(Path.GetDirectoryName(target)!, "default-bundle.json"));

        var shown = string.Join("\n", result.Information.Select(i => i.MessageData?.ToString()));
        Assert.Contains(code, shown);
        Assert.Contains(url, shown);
        Assert.Contains(result.Information, i => i.Tags.Contains("PSHOST"));
        Assert.Contains(result.Progress, p => p.SecondsRemaining > 0 && p.Activity.Contains(code));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);

        // The device id was created once, owner-only, and sent with the machine name.
        var deviceFile = Path.Combine(session.Home, ".config", "naraauth", "device.json");
        AssertPrivate(deviceFile);
        Assert.Contains(login.DeviceId, File.ReadAllText(deviceFile));
        Assert.Equal(Environment.MachineName, login.DeviceName);
        result.AssertNoSecret(LatestToken);
    }

    [Fact]
    public void The_device_id_is_reused_on_later_logins()
    {
        using var session = NewSession();
        _emulator.State.PreApprove = true;
        var first = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0] -SkipBundleSync", Url);
        first.Single<object>();
        var second = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0] -SkipBundleSync -Force", Url);
        second.Single<object>();
        foreach (var login in _emulator.State.EdgeConnector.Logins)
        {
            first.AssertNoSecret(login.Token!);
            second.AssertNoSecret(login.Token!);
        }
        var ids = _emulator.State.EdgeConnector.Logins.Select(l => l.DeviceId).Distinct().ToList();
        Assert.Equal(2, _emulator.State.EdgeConnector.Logins.Count);
        Assert.Single(ids);
        Assert.StartsWith("dev_", ids[0]);
    }

    [Fact]
    public void Pending_polls_are_waited_out()
    {
        using var session = NewSession();
        _emulator.State.PreApprove = true;
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/auth/desktop/session/token", Status = 202, Body = "{\"status\": \"pending\"}", Count = 3 });
        var result = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        Assert.Equal("Connected", ((dynamic)result.Single<object>()).Status.ToString());
        Assert.Equal(4, _emulator.State.Faults.CountOf("GET", "/api/auth/desktop/session/token"));
        result.AssertNoSecret(LatestToken);
    }

    [Fact]
    public void Throttled_poll_slows_down_and_honours_Retry_After()
    {
        using var session = NewSession();
        _emulator.State.PreApprove = true;
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/auth/desktop/session/token", Status = 429, RetryAfterSeconds = 1, Count = 1 });
        var result = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        Assert.Equal("Connected", ((dynamic)result.Single<object>()).Status.ToString());
        Assert.Equal(2, _emulator.State.Faults.CountOf("GET", "/api/auth/desktop/session/token"));
        Assert.Contains(result.Verbose, v => v.Message.Contains("429") && v.Message.Contains("5.2 s"));
        result.AssertNoSecret(LatestToken);
    }

    [Fact]
    public void Dropped_slow_and_failing_polls_are_ridden_out()
    {
        using var session = NewSession();
        _emulator.State.PreApprove = true;
        const string poll = "/api/auth/desktop/session/token";
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = poll, Drop = true, Count = 1 });
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = poll, Status = 503, RetryAfterSeconds = 1, Count = 1 });
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = poll, Delay = TimeSpan.FromMilliseconds(500), Count = 1 });
        var result = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        Assert.Equal("Connected", ((dynamic)result.Single<object>()).Status.ToString());
        Assert.Equal(3, _emulator.State.Faults.CountOf("GET", poll));
        Assert.Contains(result.Verbose, v => v.Message.Contains("HTTP 503"));
        result.AssertNoSecret(LatestToken);
    }

    [Fact]
    public void Malformed_answers_are_protocol_errors_and_a_start_is_never_retried()
    {
        using var session = NewSession();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/auth/desktop/start", MalformedBody = true, Count = 1 });
        var start = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        start.AssertError("MalformedServerResponse", ErrorCategory.ProtocolError);

        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/auth/desktop/start", Status = 503, Count = 1 });
        var failed = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        failed.AssertError("ServerError", ErrorCategory.ResourceUnavailable);
        Assert.Equal(2, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
        Assert.False(File.Exists(Path.Combine(session.WorkDir, "auth-token.json")));
    }

    [Fact]
    public void Denied_login_is_its_own_error_and_saves_nothing()
    {
        using var session = NewSession();
        var browser = new BrowserDouble(session);
        using var running = session.Start("Connect-EdgeConnector -BaseUrl $args[0]", Url);
        BrowserDouble.Answer(browser.WaitForUrl(Patience), "deny");
        var result = running.Finish(Patience);
        var error = result.AssertError("LoginDenied", ErrorCategory.PermissionDenied);
        Assert.Contains("refused", error.Exception.Message);
        Assert.False(File.Exists(Path.Combine(session.WorkDir, "auth-token.json")));
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Code_expired_on_the_server_is_its_own_error()
    {
        using var session = NewSession();
        using var running = session.Start("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        Assert.True(running.WaitForHostText("check that the page shows the code", Patience));
        var code = _emulator.State.EdgeConnector.Logins.Single().Code;
        using (var http = new HttpClient())
            Assert.True((await http.PostAsync(Url + "/_emulator/desktop/" + code + "/expire", null, TestContext.Current.CancellationToken)).IsSuccessStatusCode);
        var result = running.Finish(Patience);
        result.AssertError("LoginCodeExpired", ErrorCategory.OperationTimeout);
        Assert.False(File.Exists(Path.Combine(session.WorkDir, "auth-token.json")));
    }

    [Fact]
    public void Code_lifetime_running_out_ends_the_wait_by_itself()
    {
        using var session = NewSession();
        _emulator.State.EdgeConnector.CodeLifetime = TimeSpan.FromSeconds(2);
        _emulator.State.EdgeConnector.IntervalSeconds = 30; // the client must not wait past expiresAt for its next poll
        var watch = Stopwatch.StartNew();
        var result = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        result.AssertError("LoginCodeExpired", ErrorCategory.OperationTimeout);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "The wait went on past the code's expiry.");
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/auth/desktop/session/token"));
    }

    [Fact]
    public void LoginTimeoutSec_ends_the_wait_with_its_own_error()
    {
        using var session = NewSession();
        var result = session.Run("Connect-EdgeConnector -NoBrowser -LoginTimeoutSec 1 -BaseUrl $args[0]", Url);
        var error = result.AssertError("LoginTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains("-LoginTimeoutSec", error.Exception.Message);
        Assert.False(File.Exists(Path.Combine(session.WorkDir, "auth-token.json")));
    }

    [Fact]
    public void Ctrl_C_ends_the_wait_within_a_second_and_leaves_the_old_token_byte_for_byte()
    {
        using var session = NewSession();
        var old = WriteTokenFile(Path.Combine(session.WorkDir, "auth-token.json"), _emulator.State.MintToken(subject: "old"));
        var before = File.ReadAllBytes(old);
        using var running = session.Start("Connect-EdgeConnector -NoBrowser -Force -BaseUrl $args[0]", Url);
        Assert.True(running.WaitForHostText("check that the page shows the code", Patience));
        Thread.Sleep(300); // inside the polling loop
        var stopping = running.Stop();
        Assert.True(stopping < TimeSpan.FromSeconds(1), $"Stopping took {stopping.TotalMilliseconds} ms.");
        var result = running.Finish(Patience);
        Assert.Empty(result.Output);
        result.AssertNoSecret(TokenIn(old));
        Assert.Equal(before, File.ReadAllBytes(old));
        Assert.Empty(Directory.GetFiles(session.WorkDir, "*.tmp"));
        Assert.False(File.Exists(Path.Combine(session.WorkDir, "default-bundle.json")));
        // Approving afterwards changes nothing on disk either.
        _emulator.State.EdgeConnector.Approve(_emulator.State.EdgeConnector.Logins.Single().Code, _emulator.State);
        Thread.Sleep(500);
        Assert.Equal(before, File.ReadAllBytes(old));
    }

    [Fact]
    public void NoBrowser_only_prints_and_a_browser_that_cannot_start_is_reported()
    {
        using var session = NewSession();
        var browser = new BrowserDouble(session);
        _emulator.State.PreApprove = true;
        var printed = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0] -SkipBundleSync", Url);
        Assert.Equal("Connected", ((dynamic)printed.Single<object>()).Status.ToString());
        Assert.False(browser.WasOpened, "-NoBrowser opened the browser.");
        Assert.Contains("/desktop/approve?code=", printed.HostText);
        printed.AssertNoSecret(TokenIn(Path.Combine(session.WorkDir, "auth-token.json")));

        session.SetEnv("BROWSER", Path.Combine(session.TempDir, "no-such-browser"));
        var failed = session.Run("Connect-EdgeConnector -BaseUrl $args[0] -SkipBundleSync -Force", Url);
        Assert.Equal("Connected", ((dynamic)failed.Single<object>()).Status.ToString());
        Assert.Contains("Could not open a browser", failed.HostText);
        Assert.Contains("no-such-browser", failed.HostText);
        Assert.Contains("/desktop/approve?code=", failed.HostText);
        failed.AssertNoSecret(TokenIn(Path.Combine(session.WorkDir, "auth-token.json")));
    }

    [Theory]
    [InlineData("TF_BUILD", "True")]
    [InlineData("GITHUB_ACTIONS", "true")]
    [InlineData("CI", "true")]
    public void CI_sessions_fail_at_once_naming_the_headless_modes(string variable, string value)
    {
        using var session = NewSession();
        session.SetEnv(variable, value);
        var result = session.Run("Connect-EdgeConnector -BaseUrl $args[0]", Url);
        var error = result.AssertError("BrowserLoginNotInteractive", ErrorCategory.InvalidOperation);
        Assert.Contains("-Token", error.Exception.Message);
        Assert.Contains("DEPLOYMENT_ID", error.Exception.Message);
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
    }

    [Fact]
    public void WhatIf_starts_no_login_and_writes_nothing()
    {
        using var session = NewSession();
        var browser = new BrowserDouble(session);
        var result = session.Run("Connect-EdgeConnector -BaseUrl $args[0] -WhatIf", Url);
        Assert.Empty(result.Output);
        Assert.Contains("What if", result.HostText);
        Assert.Contains(Path.Combine(session.WorkDir, "auth-token.json"), result.HostText);
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
        Assert.False(browser.WasOpened);
        Assert.Equal(new[] { PsSession.InstallationConfigName }, Directory.GetFiles(session.WorkDir).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(session.Home, ".config", "naraauth")));
    }

    [Fact]
    public void Rerun_with_a_valid_token_starts_no_login_and_reports_nothing_was_needed()
    {
        using var session = NewSession();
        _emulator.State.PreApprove = true;
        session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url).Single<object>();
        var tokenFile = Path.Combine(session.WorkDir, "auth-token.json");
        var before = File.ReadAllBytes(tokenFile);
        _emulator.State.Faults.Clear();

        var again = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        dynamic c = again.Single<object>();
        Assert.Equal("AlreadyConnected", (string)c.Status.ToString());
        Assert.Contains("nothing was changed", again.HostText);
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/auth/desktop/session/token"));
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/edge-connector/bundles/default"));
        Assert.Equal(before, File.ReadAllBytes(tokenFile));
        again.AssertNoSecret(TokenIn(tokenFile));
    }

    [Fact]
    public void Approval_for_an_organization_without_the_Edge_Connector_saves_nothing()
    {
        using var session = NewSession();
        _emulator.State.PreApprove = true;
        _emulator.State.EdgeConnector.ApproveAsOrganization = "org_2";
        var result = session.Run("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", Url);
        result.AssertError("OrganizationNotEnabled", ErrorCategory.PermissionDenied);
        Assert.False(File.Exists(Path.Combine(session.WorkDir, "auth-token.json")));
        result.AssertNoSecret(LatestToken);

        _emulator.State.EdgeConnector.ApproveAsOrganization = "org_1";
        var wrongOrg = session.Run("Connect-EdgeConnector -NoBrowser -Organization org_2 -BaseUrl $args[0]", Url);
        wrongOrg.AssertError("OrganizationMismatch", ErrorCategory.InvalidArgument);
        Assert.False(File.Exists(Path.Combine(session.WorkDir, "auth-token.json")));
        foreach (var login in _emulator.State.EdgeConnector.Logins) wrongOrg.AssertNoSecret(login.Token!);
    }
}
