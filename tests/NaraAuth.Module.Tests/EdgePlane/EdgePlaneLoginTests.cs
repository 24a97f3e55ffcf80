using System.Management.Automation;
using System.Security;
using System.Text.Json;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;
using NaraAuth.TestSupport.EdgePlane;

namespace NaraAuth.Module.Tests.EdgePlane;

/// <summary>Server-mediated EdgePlane CLI login (docs/protocol.md 2.1), whoami (2.2) and logout, over real HTTP.</summary>
public class EdgePlaneLoginTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public EdgePlaneLoginTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgePlane.LoginLifetime = TimeSpan.FromMinutes(10);
    }

    private static string SessionPath(PsSession session) => Path.Combine(session.Home, ".edgeplane", "session.json");

    private static string WaitForLoginUrl(PsSession session, RunningScript running)
    {
        Assert.True(running.WaitForHostText("cli-login?cli_nonce=", TimeSpan.FromSeconds(30)), "The login URL was never shown: " + session.Host.Recorder.Text);
        // The line can reach the information stream a moment before the host has recorded it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string? url;
        while ((url = BrowserDouble.FindLoginUrl(session.Host.Recorder.Text)) == null && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.True(url != null, "The login URL never reached the host: " + session.Host.Recorder.Text);
        return url!;
    }

    private static void AssertOwnerOnly(string path)
    {
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, path);
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Path.GetDirectoryName(path)!);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public async Task Polling_login_saves_an_owner_only_session_that_whoami_and_Get_AuthToken_accept()
    {
        using var session = new PsSession();
        session.SetEnv("EP_BASE_URL", _emulator.BaseUrl);
        using var running = session.Start("Invoke-OidcCliLogin -NoBrowser -TtlHours 8");
        var url = WaitForLoginUrl(session, running);
        await BrowserDouble.LogInAsync(url, "grace", "grace@example.com");
        var result = running.Finish(TimeSpan.FromSeconds(30));

        dynamic info = result.Single<object>();
        Assert.Equal("grace", (string)info.Subject);
        Assert.Equal("grace@example.com", (string)info.Email);
        Assert.Equal(_emulator.BaseUrl, (string)info.BaseUrl);
        Assert.IsType<SecureString>((object)info.Token);
        Assert.Equal(8, _emulator.State.EdgePlane.LastTtlHours);
        Assert.InRange((((DateTimeOffset)info.ExpiresOn) - DateTimeOffset.UtcNow).TotalHours, 7.9, 8.1);
        Assert.Contains(result.Progress, p => p.StatusDescription.Contains("left", StringComparison.Ordinal) && p.SecondsRemaining > 500);
        Assert.Contains("Logged in to", result.HostText);

        var path = SessionPath(session);
        Assert.Equal(path, (string)info.Path);
        AssertOwnerOnly(path);
        using var file = JsonDocument.Parse(File.ReadAllText(path));
        var root = file.RootElement;
        Assert.Equal(new[] { "token", "subject", "email", "expires_at", "base_url", "session_id" }, root.EnumerateObject().Select(p => p.Name).ToArray());
        var token = root.GetProperty("token").GetString()!;
        Assert.StartsWith("mcs_", token);
        Assert.Equal("grace", root.GetProperty("subject").GetString());
        Assert.Equal(_emulator.BaseUrl, root.GetProperty("base_url").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("session_id").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("expires_at").GetString()!);
        result.AssertNoSecret(token);

        var whoami = session.Run("Get-EdgePlaneIdentity");
        dynamic identity = whoami.Single<object>();
        Assert.Equal("grace", (string)identity.Subject);
        Assert.Equal(root.GetProperty("session_id").GetInt64(), (long)identity.SessionId);
        Assert.False((bool)identity.IsAdmin);
        whoami.AssertNoSecret(token);

        var stored = session.Run("Get-AuthToken -EdgePlane");
        dynamic storedInfo = stored.Single<object>();
        Assert.Equal("grace", (string)storedInfo.Subject);
        Assert.False((bool)storedInfo.IsExpired);
        Assert.Equal(path, (string)storedInfo.Path);
        stored.AssertNoSecret(token);
        Assert.Equal(token, session.Run("(Get-AuthToken -EdgePlane -AsPlainText).Token").Single<string>());
    }

    [Fact]
    public void Grant_id_typed_at_the_prompt_completes_the_login()
    {
        using var session = new PsSession();
        string? grant = null, nonce = null;
        void PersonLogsIn(NaraAuth.Emulator.EdgePlaneStore.CliLogin login)
        {
            nonce = login.Nonce;
            grant = _emulator.State.EdgePlane.Complete(login.Nonce, "linus", "linus@example.com");
            session.Host.Recorder.LineAnswers.Enqueue("  " + grant + " ");
        }
        _emulator.State.EdgePlane.Initiated += PersonLogsIn;
        try
        {
            var result = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser -PromptForGrantId", _emulator.BaseUrl);
            dynamic info = result.Single<object>();
            Assert.Equal("linus", (string)info.Subject);
            Assert.Contains("Grant id:", result.HostText);
            // Typed, not polled.
            Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/auth/oidc/cli-poll/" + nonce));
            Assert.Equal(1, _emulator.State.Faults.CountOf("POST", "/auth/oidc/exchange"));
            AssertOwnerOnly(SessionPath(session));
            var token = JsonDocument.Parse(File.ReadAllText(SessionPath(session))).RootElement.GetProperty("token").GetString()!;
            result.AssertNoSecret(token);
        }
        finally
        {
            _emulator.State.EdgePlane.Initiated -= PersonLogsIn;
        }
    }

    [Fact]
    public async Task GrantId_parameter_exchanges_once_and_a_reused_grant_gets_its_own_error_and_keeps_the_session()
    {
        using var session = new PsSession();
        using var http = new HttpClient();
        var initiate = JsonDocument.Parse(await http.GetStringAsync(_emulator.BaseUrl + "/auth/oidc/cli-initiate", TestContext.Current.CancellationToken)).RootElement;
        var grant = await BrowserDouble.LogInAsync(initiate.GetProperty("authorize_url").GetString()!, "ada");

        var first = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -GrantId $args[1]", _emulator.BaseUrl, grant);
        Assert.Equal("ada", (string)((dynamic)first.Single<object>()).Subject);
        var saved = File.ReadAllText(SessionPath(session));

        var second = session.Run("$args[1] | Invoke-OidcCliLogin -BaseUrl $args[0]", _emulator.BaseUrl, grant);
        var error = second.AssertError("EdgePlaneGrantInvalid", ErrorCategory.InvalidArgument);
        Assert.Contains("works once", error.Exception.Message);
        Assert.Equal(saved, File.ReadAllText(SessionPath(session)));
    }

    [Fact]
    public async Task A_grant_id_the_server_echoes_in_an_error_is_masked_in_every_stream_and_the_transcript()
    {
        using var session = new PsSession();
        using var http = new HttpClient();
        var initiate = JsonDocument.Parse(await http.GetStringAsync(_emulator.BaseUrl + "/auth/oidc/cli-initiate", TestContext.Current.CancellationToken)).RootElement;
        var grant = await BrowserDouble.LogInAsync(initiate.GetProperty("authorize_url").GetString()!, "ada");
        Assert.StartsWith("olg_", grant);
        var echo = "{\"error\":\"server_error\",\"error_description\":\"could not redeem " + grant + " for you\"}";
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/auth/oidc/exchange", Method = "POST", Status = 500, Body = echo, Count = 2 });

        var result = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -GrantId $args[1] -Verbose", _emulator.BaseUrl, grant);
        var error = result.AssertError("ServerError");
        // The server's words are still quoted, with the grant masked.
        Assert.Contains("could not redeem *** for you", error.Exception.Message);
        result.AssertNoSecret(grant);
        Assert.False(File.Exists(SessionPath(session)));

        var transcript = TranscriptScan.Run(session, "Invoke-OidcCliLogin -BaseUrl $env:SCAN_URL -GrantId $env:SCAN_GRANT",
            new Dictionary<string, string> { ["SCAN_URL"] = _emulator.BaseUrl, ["SCAN_GRANT"] = grant });
        Assert.Contains("could not redeem *** for you", transcript);
        TranscriptScan.AssertNoSecret(transcript, grant);
    }

    [Fact]
    public void Login_not_finished_before_expires_at_fails_and_writes_nothing()
    {
        using var session = new PsSession();
        _emulator.State.EdgePlane.LoginLifetime = TimeSpan.FromSeconds(3);
        var result = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser", _emulator.BaseUrl);
        result.AssertError("EdgePlaneLoginExpired", ErrorCategory.OperationTimeout);
        Assert.False(File.Exists(SessionPath(session)));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public void Ctrl_C_while_waiting_stops_within_a_second_and_leaves_the_old_session_untouched()
    {
        using var session = new PsSession();
        var path = SessionPath(session);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"token\":\"mcs_old\",\"subject\":\"old\",\"base_url\":\"" + _emulator.BaseUrl + "\",\"session_id\":1}");
        var before = File.ReadAllText(path);

        using var running = session.Start("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser", _emulator.BaseUrl);
        WaitForLoginUrl(session, running);
        Thread.Sleep(300);
        var stopped = running.Stop();
        Assert.True(stopped < TimeSpan.FromSeconds(1), $"Stopping took {stopped.TotalMilliseconds:0} ms");
        running.Finish(TimeSpan.FromSeconds(5));
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public async Task Polling_honours_429_with_Retry_After_and_keeps_waiting()
    {
        using var session = new PsSession();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/auth/oidc/cli-poll/", Status = 429, RetryAfterSeconds = 1, Count = 2 });
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/auth/oidc/cli-poll/", Status = 503, Count = 1 });
        using var running = session.Start("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser", _emulator.BaseUrl);
        var url = WaitForLoginUrl(session, running);
        // Let the faults be consumed before the person logs in.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? nonce = url.Split("cli_nonce=")[1];
        while (_emulator.State.Faults.CountOf("GET", "/auth/oidc/cli-poll/" + nonce) < 3 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        await BrowserDouble.LogInAsync(url);
        var result = running.Finish(TimeSpan.FromSeconds(60));
        Assert.Equal("ada", (string)((dynamic)result.Single<object>()).Subject);
        Assert.True(_emulator.State.Faults.CountOf("GET", "/auth/oidc/cli-poll/" + nonce) >= 4);
        Assert.Contains(result.Verbose, v => v.Message.Contains("HTTP 429", StringComparison.Ordinal));
    }

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "BROWSER names a shell script here")]
    public async Task BROWSER_is_used_to_open_the_login_page()
    {
        using var session = new PsSession();
        var opened = Path.Combine(session.TempDir, "opened.txt");
        var script = Path.Combine(session.TempDir, "browser.sh");
        File.WriteAllText(script, "#!/bin/sh\nprintf '%s' \"$1\" > \"" + opened + "\"\n");
        UnixModes.Set(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        session.SetEnv("BROWSER", script);

        using var running = session.Start("Invoke-OidcCliLogin -BaseUrl $args[0]", _emulator.BaseUrl);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(File.Exists(opened) && File.ReadAllText(opened).Length > 0) && DateTime.UtcNow < deadline) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.True(File.Exists(opened), "The browser double was never started.");
        await BrowserDouble.LogInAsync(File.ReadAllText(opened));
        var result = running.Finish(TimeSpan.FromSeconds(30));
        Assert.Equal("ada", (string)((dynamic)result.Single<object>()).Subject);
        Assert.Contains("A browser window opened", result.HostText);
    }

    [Fact]
    public void Whoami_reports_a_revoked_session_as_expired_or_revoked()
    {
        using var session = new PsSession();
        _emulator.State.PreApprove = true;
        var login = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser", _emulator.BaseUrl);
        dynamic info = login.Single<object>();
        Assert.True(_emulator.State.EdgePlane.Revoke((long)info.SessionId));

        var whoami = session.Run("Get-EdgePlaneIdentity");
        var error = whoami.AssertError("EdgePlaneSessionRejected", ErrorCategory.AuthenticationError);
        Assert.Contains("session expired or revoked, log in again", error.Exception.Message);
        var token = JsonDocument.Parse(File.ReadAllText(SessionPath(session))).RootElement.GetProperty("token").GetString()!;
        whoami.AssertNoSecret(token);
    }

    [Fact]
    public void Disconnect_honours_WhatIf_then_deletes_the_session_file()
    {
        using var session = new PsSession();
        _emulator.State.PreApprove = true;
        session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser", _emulator.BaseUrl).Single<object>();
        var path = SessionPath(session);

        var whatIf = session.Run("Disconnect-EdgePlane -WhatIf");
        Assert.True(File.Exists(path));
        Assert.Contains(path, whatIf.HostText);

        var done = session.Run("Disconnect-EdgePlane");
        Assert.Empty(done.Errors);
        Assert.False(File.Exists(path));
        session.Run("Get-EdgePlaneIdentity").AssertError("EdgePlaneSessionNotFound", ErrorCategory.ObjectNotFound);
        session.Run("Get-AuthToken -EdgePlane").AssertError("EdgePlaneSessionNotFound", ErrorCategory.ObjectNotFound);
        var again = session.Run("Disconnect-EdgePlane -Verbose");
        Assert.Null(again.Error);
        Assert.Empty(again.Warnings);
        Assert.Contains(again.Verbose, v => v.Message.Contains("nothing to remove", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_or_insecure_base_url_is_refused_before_any_request()
    {
        using var session = new PsSession();
        session.Run("Invoke-OidcCliLogin -NoBrowser").AssertError("EdgePlaneUrlMissing", ErrorCategory.InvalidArgument);
        session.Run("Invoke-OidcCliLogin -NoBrowser -BaseUrl http://edgeplane.example.com").AssertError("InsecureBaseUrl", ErrorCategory.SecurityError);
        session.Run("Invoke-OidcCliLogin -NoBrowser -BaseUrl $args[0] -TtlHours 0", _emulator.BaseUrl).AssertError("ParameterArgumentValidationError");
    }

    [Fact]
    public void Expired_session_file_is_reported_by_Get_AuthToken()
    {
        using var session = new PsSession();
        var path = SessionPath(session);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"token\":\"mcs_expired_secret\",\"subject\":\"old\",\"email\":null,\"expires_at\":\"2020-01-01T00:00:00.000Z\",\"base_url\":\"https://ep.example.com\",\"session_id\":3}");
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var failed = session.Run("Get-AuthToken -EdgePlane");
        failed.AssertError("EdgePlaneSessionExpired", ErrorCategory.AuthenticationError);
        failed.AssertNoSecret("mcs_expired_secret");
        var allowed = session.Run("Get-AuthToken -EdgePlane -AllowExpired");
        Assert.True((bool)((dynamic)allowed.Output.Single().BaseObject).IsExpired);
        Assert.Contains(allowed.Warnings, w => w.Message.Contains("expired"));
    }

    private static void SaveSession(PsSession session, string baseUrl, TimeSpan validFor)
    {
        var dir = Path.Combine(session.Home, ".edgeplane");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "session.json"),
            $$"""{"token":"mcs_saved_token_abc","subject":"grace","email":"grace@example.com","expires_at":"{{DateTime.UtcNow.Add(validFor):yyyy-MM-ddTHH:mm:ss.fffZ}}","base_url":"{{baseUrl}}","session_id":3}""");
    }

    private int CountInitiations(Action act)
    {
        var count = 0;
        void Count(NaraAuth.Emulator.EdgePlaneStore.CliLogin _) => Interlocked.Increment(ref count);
        _emulator.State.EdgePlane.Initiated += Count;
        try { act(); } finally { _emulator.State.EdgePlane.Initiated -= Count; }
        return count;
    }

    [Fact]
    public void A_valid_saved_session_for_the_same_server_is_reused_and_reported_instead_of_a_new_login()
    {
        using var session = new PsSession();
        SaveSession(session, _emulator.BaseUrl, TimeSpan.FromHours(8));
        // CI: anything but a reuse would be refused, so the reuse is what made these succeed.
        session.SetEnv("CI", "true");
        PsResult reused = null!;
        Assert.Equal(0, CountInitiations(() => reused = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0]", _emulator.BaseUrl)));
        dynamic info = reused.Single<object>();
        Assert.Equal("grace", (string)info.Subject);
        Assert.Contains("Already logged in to " + _emulator.BaseUrl + " as grace", reused.HostText);
        reused.AssertNoSecret("mcs_saved_token_abc");

        // Not valid for long enough, or for another server: a new login, which CI refuses at once.
        SaveSession(session, _emulator.BaseUrl, TimeSpan.FromMinutes(30));
        var tooShort = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0]", _emulator.BaseUrl);
        tooShort.AssertError("BrowserLoginNotInteractive", ErrorCategory.InvalidOperation);
        Assert.Contains(tooShort.Verbose, v => v.Message.Contains("within the required validity", StringComparison.Ordinal));
        Assert.Equal("grace", (string)((dynamic)session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -MinimumValidity 00:10:00", _emulator.BaseUrl).Single<object>()).Subject);
        session.Run("Invoke-OidcCliLogin -BaseUrl https://edgeplane.example.com").AssertError("BrowserLoginNotInteractive");
        session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -MinimumValidity 00:10:00 -Force", _emulator.BaseUrl).AssertError("BrowserLoginNotInteractive");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" -PromptForGrantId")]
    public void In_CI_a_login_that_needs_a_person_fails_at_once_naming_the_headless_options(string mode)
    {
        using var session = new PsSession();
        session.SetEnv("GITHUB_ACTIONS", "true");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        PsResult result = null!;
        Assert.Equal(0, CountInitiations(() => result = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0]" + mode, _emulator.BaseUrl)));
        clock.Stop();
        var error = result.AssertError("BrowserLoginNotInteractive", ErrorCategory.InvalidOperation);
        Assert.Contains("-GrantId", error.Exception!.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The refusal took {clock.ElapsedMilliseconds} ms");
        Assert.DoesNotContain("cli-login?cli_nonce=", result.HostText);
    }

    [Fact]
    public void The_wait_is_bounded_locally_whatever_expiry_the_server_sends()
    {
        using var session = new PsSession();
        _emulator.State.EdgePlane.LoginLifetime = TimeSpan.FromHours(12);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser -LoginTimeoutSec 2", _emulator.BaseUrl);
        clock.Stop();
        result.AssertError("EdgePlaneLoginTimedOut", ErrorCategory.OperationTimeout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The wait took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(result.Progress, p => p.SecondsRemaining is > 0 and <= 2);
        Assert.False(File.Exists(SessionPath(session)));
    }

    [Fact]
    public void WhatIf_starts_no_login_and_writes_nothing()
    {
        using var session = new PsSession();
        PsResult result = null!;
        Assert.Equal(0, CountInitiations(() => result = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser -WhatIf", _emulator.BaseUrl)));
        Assert.Null(result.Error);
        Assert.Empty(result.Output);
        Assert.Contains("What if:", session.Host.Recorder.Text);
        Assert.False(File.Exists(SessionPath(session)));
    }
}
