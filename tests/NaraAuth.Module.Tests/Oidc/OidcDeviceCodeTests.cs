using System.Diagnostics;
using System.Management.Automation;
using System.Runtime.Loader;
using System.Text.Json;
using NaraAuth.Emulator;
using NaraAuth.TestSupport.Harness;

using NaraAuth.Module.Tests.EdgePlane;
using NaraAuth.TestSupport.Oidc;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>Direct OIDC with the device authorization grant (RFC 8628) against the emulator's provider, over real HTTP.</summary>
public class OidcDeviceCodeTests : IClassFixture<EmulatorFixture>
{
    /// <summary>The device login as the person who opens the page by hand runs it (no browser is started by a test).</summary>
    private const string Login = LoginOpeningTheBrowser + " -NoBrowser";
    /// <summary>Only with BROWSER pointing at a test double.</summary>
    private const string LoginOpeningTheBrowser = "Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -UseDeviceCode";
    private readonly EmulatorFixture _emulator;
    private OidcProviderStore Idp => _emulator.State.Oidc;
    private string Authority => _emulator.BaseUrl + "/oidc";

    public OidcDeviceCodeTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        Idp.AutoApprove = false;
        Idp.Interval = 1;
        Idp.DeviceCodeLifetime = TimeSpan.FromMinutes(10);
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        Idp.NextIdTokenDefect = IdTokenDefect.None;
        Idp.IssueRefreshTokens = true;
        Idp.RequireOfflineAccess = false;
        Idp.AccessTokenLifetime = null;
        while (Idp.DevicePolls.TryDequeue(out _)) { }
    }

    /// <summary>Plays the person: reacts to each issued device code on a background task.</summary>
    private IDisposable Person(Action<OidcProviderStore.DeviceAuthorization> act)
    {
        void Handler(OidcProviderStore.DeviceAuthorization auth) => Task.Run(() => act(auth));
        Idp.DeviceCodeIssued += Handler;
        return new Unsubscribe(() => Idp.DeviceCodeIssued -= Handler);
    }

    private void WaitForPolls(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Idp.DevicePolls.Count < count && DateTime.UtcNow < deadline) Thread.Sleep(50);
    }

    [Fact]
    public void Pending_then_slow_down_then_approved_saves_a_validated_owner_only_session()
    {
        using var session = new PsSession();
        string? deviceCode = null, userCode = null;
        using var person = Person(auth =>
        {
            deviceCode = auth.DeviceCode;
            userCode = auth.UserCode;
            WaitForPolls(2); // two authorization_pending answers
            auth.SlowDowns = 1;
            WaitForPolls(4); // the slow_down and one more pending, at the slower pace
            auth.Approve("grace", "grace@example.com");
        });
        var result = session.Run("$s = " + Login + "; $s", Authority);

        dynamic info = result.Single<object>();
        Assert.Equal("grace", (string)info.Subject);
        Assert.Equal("grace@example.com", (string)info.Email);
        Assert.Equal(Authority, (string)info.Issuer);
        Assert.Equal("DeviceCode", (string)info.Source.ToString());
        Assert.Equal("openid profile email offline_access", (string)info.Scope);
        Assert.IsType<System.Security.SecureString>((object)info.IdToken);

        // The code and the URIs reach the person although the output was assigned to a variable,
        // each URL alone on its line, the code with what to do with it, and the code's expiry.
        var lines = HostLines(result);
        Assert.Contains(Authority + "/device", lines);
        Assert.Contains(Authority + "/device?user_code=" + userCode, lines);
        Assert.Contains(lines, l => l.StartsWith("Then enter the code " + userCode + " on that page", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("The code expires at ", StringComparison.Ordinal) && l.EndsWith("; Ctrl+C stops waiting.", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Output, o => o.BaseObject is string);
        Assert.Contains(result.Progress, p => p.StatusDescription.Contains("left", StringComparison.Ordinal));
        // The countdown moves every second, also during the 6 s pause after slow_down.
        var seconds = result.Progress.Where(p => p.SecondsRemaining > 0).Select(p => p.SecondsRemaining).Distinct().Count();
        Assert.True(seconds >= 8, $"The countdown showed only {seconds} different values.");

        // slow_down adds 5 s to the 1 s interval: the poll after it comes at least 6 s later.
        var polls = Idp.DevicePolls.ToArray();
        Assert.True(polls.Length >= 5);
        Assert.True(polls[3] - polls[2] >= TimeSpan.FromSeconds(5.5), $"Poll after slow_down came after {(polls[3] - polls[2]).TotalSeconds:0.0} s");
        Assert.Contains(result.Verbose, v => v.Message.Contains("slow down", StringComparison.Ordinal));

        var path = OidcSessionFiles.Single(session);
        Assert.NotNull(path);
        Assert.Equal(path, (string)info.Path);
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, path!);
        using var file = JsonDocument.Parse(File.ReadAllText(path!));
        var idToken = file.RootElement.GetProperty("id_token").GetString()!;
        var accessToken = file.RootElement.GetProperty("access_token").GetString()!;
        var refreshToken = file.RootElement.GetProperty("refresh_token").GetString()!;
        Assert.Equal("grace", file.RootElement.GetProperty("subject").GetString());
        Assert.Equal(Authority, file.RootElement.GetProperty("issuer").GetString());
        foreach (var secret in new[] { idToken, accessToken, refreshToken, deviceCode! }) result.AssertNoSecret(secret);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    private static List<string> HostLines(PsResult result) =>
        result.HostText.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    [Fact]
    public void The_device_page_opens_in_the_browser_with_the_code_filled_in_and_NoBrowser_opens_nothing()
    {
        using var session = new PsSession();
        var browser = new NaraAuth.TestSupport.EdgeConnector.BrowserDouble(session);
        string? userCode = null;
        using var person = Person(auth => { userCode = auth.UserCode; WaitForPolls(1); auth.Approve("ada", "ada@example.com"); });
        var opened = session.Run(LoginOpeningTheBrowser, Authority);
        Assert.Equal("ada", (string)((dynamic)opened.Single<object>()).Subject);
        Assert.Equal(Authority + "/device?user_code=" + userCode, browser.WaitForUrl(TimeSpan.FromSeconds(30)));
        var lines = HostLines(opened);
        Assert.Contains(lines, l => l.StartsWith("A browser window opened for the login to " + Authority + ". If it did not appear, open this URL:", StringComparison.Ordinal));
        Assert.Contains(Authority + "/device", lines);
        Assert.Contains(lines, l => l.StartsWith("Then enter the code " + userCode + " on that page, unless it is filled in already", StringComparison.Ordinal));

        File.Delete(Path.Combine(session.TempDir, "browser-opened.txt"));
        var byHand = session.Run(Login + " -Force", Authority);
        Assert.Equal("ada", (string)((dynamic)byHand.Single<object>()).Subject);
        Assert.False(browser.WasOpened, "-NoBrowser opened a browser.");
        lines = HostLines(byHand);
        Assert.Contains($"To log in to {Authority}, open this URL in a browser, on this or another device (-NoBrowser):", lines);
        Assert.Contains(Authority + "/device", lines);
        Assert.Contains("Or open this URL, which carries the code already:", lines);
        Assert.Contains(Authority + "/device?user_code=" + userCode, lines);
    }

    [Theory]
    [InlineData("http://idp.example.com/device", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("https://user:pw@idp.example.com/device", null)]
    [InlineData(null, "http://idp.example.com/device?user_code=X")]
    [InlineData(null, "file:///etc/passwd")]
    public void A_device_login_page_that_is_not_https_is_neither_opened_nor_shown_and_nothing_is_polled(string? verification, string? complete)
    {
        using var session = new PsSession();
        var browser = new NaraAuth.TestSupport.EdgeConnector.BrowserDouble(session);
        var body = "{\"device_code\":\"dc_hostile\",\"user_code\":\"WDJB-MJHT\",\"verification_uri\":" + JsonSerializer.Serialize(verification ?? Authority + "/device")
            + (complete == null ? string.Empty : ",\"verification_uri_complete\":" + JsonSerializer.Serialize(complete)) + ",\"expires_in\":600,\"interval\":1}";
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule { PathPrefix = "/oidc/device_authorization", Method = "POST", Status = 200, Body = body });
        var result = session.Run(LoginOpeningTheBrowser, Authority);
        var error = result.AssertError("OidcVerificationUriRefused", ErrorCategory.SecurityError);
        Assert.Contains("is not an https address", error.Exception.Message);
        Assert.DoesNotContain("pw@", error.Exception.Message);
        Assert.False(browser.WasOpened, "The hostile page was opened.");
        Assert.DoesNotContain("WDJB-MJHT", result.HostText);
        Assert.DoesNotContain(verification ?? complete!, result.HostText);
        Assert.Empty(Idp.DevicePolls);
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void A_dropped_connection_while_polling_slows_the_polling_down_and_the_login_still_completes()
    {
        using var session = new PsSession();
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule { PathPrefix = "/oidc/token", Method = "POST", Drop = true, Count = 1 });
        using var person = Person(auth => { WaitForPolls(2); auth.Approve("ada", "ada@example.com"); });
        var result = session.Run(Login, Authority);
        Assert.Equal("ada", (string)((dynamic)result.Single<object>()).Subject);
        Assert.Contains(result.Verbose, v => v.Message.Contains("Polling every 2 s now", StringComparison.Ordinal));
    }

    [Fact]
    public void A_429_whose_Retry_After_ends_past_the_wait_fails_at_once_with_the_providers_refusal()
    {
        using var session = new PsSession();
        Idp.DeviceCodeLifetime = TimeSpan.FromMinutes(10);
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule
        {
            PathPrefix = "/oidc/token", Method = "POST", Status = 429, RetryAfterSeconds = 86400, Count = 5,
            Body = "{\"error\":\"rate_limited\",\"error_description\":\"Too many logins from this network.\"}",
        });
        var result = session.Run(Login, Authority);
        var error = result.AssertError("TooManyRequests");
        // The provider's refusal, not a code the person supposedly never entered.
        Assert.Contains("Too many logins from this network", error.Exception.Message);
        Assert.Contains("24 h (Retry-After)", error.Exception.Message);
        Assert.Equal(1, _emulator.State.Faults.CountOf("POST", "/oidc/token"));
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void Escape_sequences_in_the_providers_code_url_and_error_reach_no_stream()
    {
        using var session = new PsSession();
        const string hostile = "WDJB\u001b]0;owned\u0007\u001b[2J\u001b[1A\r-MZHB";
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule
        {
            PathPrefix = "/oidc/device_authorization", Method = "POST", Status = 200,
            Body = "{\"device_code\":\"dc_x\",\"user_code\":" + System.Text.Json.JsonSerializer.Serialize(hostile) + ",\"verification_uri\":\"" + Authority + "/device\",\"expires_in\":600,\"interval\":1}",
        });
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule
        {
            PathPrefix = "/oidc/token", Method = "POST", Status = 400,
            Body = "{\"error\":\"invalid_client\",\"error_description\":" + System.Text.Json.JsonSerializer.Serialize("\u001b[2J\u001b]0;pwned\u0007Fake line\u001b[31m") + "}",
        });
        var result = session.Run(Login, Authority);
        result.AssertError("OidcTokenRequestFailed");
        Assert.Contains("WDJB", result.HostText);
        Assert.Contains("-MZHB", result.HostText);
        Assert.Contains("Fake line", result.Error!.Exception.Message);
        foreach (var text in new[] { result.AllText(), result.Error.Exception.Message, result.Error.ErrorDetails?.Message ?? string.Empty })
        {
            Assert.DoesNotContain('\u001b', text);
            Assert.DoesNotContain('\u0007', text);
            Assert.DoesNotContain('\r', text);
        }
    }

    [Fact]
    public void Denied_login_is_its_own_error_and_writes_nothing()
    {
        using var session = new PsSession();
        using var person = Person(auth => { WaitForPolls(1); auth.Deny(); });
        var result = session.Run(Login, Authority);
        result.AssertError("OidcAccessDenied", ErrorCategory.PermissionDenied);
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void Expired_token_from_the_provider_is_its_own_error()
    {
        using var session = new PsSession();
        using var person = Person(auth => { WaitForPolls(1); auth.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1); });
        var result = session.Run(Login, Authority);
        result.AssertError("OidcDeviceCodeExpired", ErrorCategory.OperationTimeout);
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void Code_lifetime_running_out_on_the_client_side_ends_the_wait()
    {
        using var session = new PsSession();
        Idp.DeviceCodeLifetime = TimeSpan.FromSeconds(3);
        var result = session.Run(Login, Authority);
        result.AssertError("OidcDeviceCodeExpired", ErrorCategory.OperationTimeout);
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public void LoginTimeoutSec_ends_the_wait_before_a_longer_lived_code_expires_with_its_own_error()
    {
        using var session = new PsSession();
        Idp.DeviceCodeLifetime = TimeSpan.FromMinutes(10);
        var result = session.Run(Login + " -LoginTimeoutSec 2", Authority);
        result.AssertError("OidcDeviceCodeTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains("-LoginTimeoutSec", result.Error!.ErrorDetails?.RecommendedAction ?? result.Error.ToString());
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Theory]
    [InlineData(IdTokenDefect.WrongAudience, "IdTokenWrongAudience")]
    [InlineData(IdTokenDefect.WrongIssuer, "IdTokenWrongIssuer")]
    [InlineData(IdTokenDefect.BadSignature, "IdTokenBadSignature")]
    [InlineData(IdTokenDefect.Expired, "IdTokenExpired")]
    [InlineData(IdTokenDefect.AlgNone, "IdTokenUnsigned")]
    [InlineData(IdTokenDefect.Hs256, "IdTokenAlgorithmNotAllowed")]
    [InlineData(IdTokenDefect.MultiAudienceNoAzp, "IdTokenWrongAuthorizedParty")]
    [InlineData(IdTokenDefect.UnknownKey, "IdTokenUnknownKey")]
    public void Invalid_ID_tokens_are_refused_with_distinct_errors_and_nothing_is_saved(IdTokenDefect defect, string errorId)
    {
        using var session = new PsSession();
        Idp.AutoApprove = true;
        Idp.NextIdTokenDefect = defect;
        var result = session.Run(Login, Authority);
        var error = result.AssertError(errorId);
        Assert.True(error.CategoryInfo.Category is ErrorCategory.SecurityError or ErrorCategory.AuthenticationError);
        // ID-token advice, never the Edge Connector's.
        Assert.DoesNotContain("Connect-EdgeConnector", error.ErrorDetails?.RecommendedAction ?? string.Empty);
        if (defect is IdTokenDefect.AlgNone or IdTokenDefect.Hs256) Assert.Contains("RS256", error.ErrorDetails!.RecommendedAction);
        Assert.Null(OidcSessionFiles.Single(session));
        Idp.AutoApprove = false;
    }

    [Fact]
    public void A_multi_audience_token_whose_azp_is_this_client_is_accepted()
    {
        using var session = new PsSession();
        Idp.AutoApprove = true;
        Idp.NextIdTokenDefect = IdTokenDefect.MultiAudienceWithAzp;
        Assert.Equal("ada", (string)((dynamic)session.Run(Login, Authority).Single<object>()).Subject);
    }

    [Fact]
    public void An_unknown_kid_makes_the_keys_be_read_once_more_so_a_rotated_key_is_accepted()
    {
        using var session = new PsSession();
        Idp.AutoApprove = true;
        session.Run(Login, Authority).Single<object>(); // the keys are now cached
        var reads = Idp.JwksReads;
        Idp.RotateSigningKey();
        var rotated = session.Run(Login + " -Force", Authority);
        Assert.Equal("ada", (string)((dynamic)rotated.Single<object>()).Subject);
        Assert.Equal(reads + 1, Idp.JwksReads);

        reads = Idp.JwksReads;
        Idp.NextIdTokenDefect = IdTokenDefect.UnknownKey;
        var forged = session.Run(Login + " -Force", Authority);
        var error = forged.AssertError("IdTokenUnknownKey", ErrorCategory.SecurityError);
        Assert.Contains("signed with key 'oidc-key-unpublished', which the provider does not publish", error.Exception!.Message);
        Assert.Equal(reads + 1, Idp.JwksReads); // read again once, not in a loop
    }

    [Fact]
    public void An_access_token_that_expires_first_decides_reuse_and_its_expiry_is_shown()
    {
        using var session = new PsSession();
        Idp.AutoApprove = true;
        Idp.AccessTokenLifetime = TimeSpan.FromMinutes(3);
        var first = session.Run(Login, Authority);
        dynamic info = first.Single<object>();
        var accessExpiry = (DateTimeOffset)info.AccessTokenExpiresOn;
        Assert.InRange((accessExpiry - DateTimeOffset.UtcNow).TotalMinutes, 2.5, 3.1);
        Assert.InRange((((DateTimeOffset)info.IdTokenExpiresOn) - DateTimeOffset.UtcNow).TotalMinutes, 55, 61);
        Assert.Equal(accessExpiry, (DateTimeOffset)info.ExpiresOn);
        Assert.Contains("<Label>AccessTokenExpiresOn</Label>", File.ReadAllText(Path.Combine(RepoPaths.StagedModuleDirectory, "NaraAuth.EdgePlane.format.ps1xml")));

        // The ID token has an hour left, but the access token does not: refresh, do not reuse.
        Idp.AccessTokenLifetime = TimeSpan.FromHours(1);
        var refreshes = Idp.RefreshCount;
        var again = session.Run(Login, Authority);
        Assert.Equal("Refreshed", (string)((dynamic)again.Single<object>()).Source.ToString());
        Assert.Equal(refreshes + 1, Idp.RefreshCount);
        Assert.Contains(again.Verbose, v => v.Message.Contains("access token expires", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_offline_access_the_provider_issues_no_refresh_token_and_verbose_says_why()
    {
        using var session = new PsSession();
        Idp.AutoApprove = true;
        Idp.RequireOfflineAccess = true;
        Idp.IdTokenLifetime = TimeSpan.FromMinutes(2);
        var narrow = session.Run(Login + " -Scopes openid,email", Authority);
        narrow.Single<object>();
        Assert.Contains(narrow.Verbose, v => v.Message.Contains("no refresh token (offline_access was not asked for)", StringComparison.Ordinal));
        var again = session.Run(Login + " -Scopes openid,email", Authority);
        Assert.Equal("DeviceCode", (string)((dynamic)again.Single<object>()).Source.ToString());
        Assert.Contains(again.Verbose, v => v.Message.Contains("cannot be refreshed silently", StringComparison.Ordinal));

        // The default scopes ask for offline_access, so the same provider lets the session be refreshed.
        var standard = session.Run(Login, Authority);
        Assert.Contains("offline_access", (string)((dynamic)standard.Single<object>()).Scope);
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        Assert.Equal("Refreshed", (string)((dynamic)session.Run(Login, Authority).Single<object>()).Source.ToString());
    }

    [Fact]
    public void Saved_session_is_reused_then_refreshed_silently_before_asking_again()
    {
        using var session = new PsSession();
        Idp.AutoApprove = true;
        var first = session.Run(Login, Authority).Single<object>();
        var issued = Idp.DevicePolls.Count;
        Assert.Equal("DeviceCode", ((dynamic)first).Source.ToString());

        var reused = session.Run(Login, Authority);
        Assert.Equal("Saved", ((dynamic)reused.Single<object>()).Source.ToString());
        Assert.Equal(issued, Idp.DevicePolls.Count);

        // A session close to its end is refreshed with the refresh token, without the person.
        Idp.IdTokenLifetime = TimeSpan.FromMinutes(2);
        var path = OidcSessionFiles.Single(session)!;
        var oldRefresh = JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("refresh_token").GetString()!;
        session.Run(Login + " -Force", Authority).Single<object>(); // a fresh login whose ID token lives 2 minutes
        var shortLived = JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("refresh_token").GetString()!;
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        var refreshesBefore = Idp.RefreshCount;
        var polls = Idp.DevicePolls.Count;
        var refreshed = session.Run(Login, Authority);
        Assert.Equal("Refreshed", ((dynamic)refreshed.Single<object>()).Source.ToString());
        Assert.Equal(refreshesBefore + 1, Idp.RefreshCount);
        Assert.Equal(polls, Idp.DevicePolls.Count);
        refreshed.AssertNoSecret(shortLived);
        refreshed.AssertNoSecret(oldRefresh);
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, path);

        // A refused refresh falls back to asking the person.
        Idp.RevokeAllRefreshTokens();
        Idp.IdTokenLifetime = TimeSpan.FromMinutes(2);
        session.Run(Login + " -Force", Authority).Single<object>();
        Idp.RevokeAllRefreshTokens();
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        var again = session.Run(Login, Authority);
        Assert.Equal("DeviceCode", ((dynamic)again.Single<object>()).Source.ToString());
    }

    [Fact]
    public void Defaults_come_from_OIDC_environment_variables_and_missing_ones_are_named()
    {
        using var session = new PsSession();
        session.Run("Invoke-OidcCliLogin -UseDeviceCode").AssertError("OidcAuthorityMissing", ErrorCategory.InvalidArgument);
        session.SetEnv("OIDC_ISSUER_URL", Authority);
        session.Run("Invoke-OidcCliLogin -UseDeviceCode").AssertError("OidcClientIdMissing", ErrorCategory.InvalidArgument);
        session.SetEnv("OIDC_CLIENT_ID", "naraauth-cli");
        session.SetEnv("OIDC_SCOPES", "openid email offline_access");
        Idp.AutoApprove = true;
        var result = session.Run("Invoke-OidcCliLogin -UseDeviceCode -NoBrowser");
        Assert.Equal("openid email offline_access", ((dynamic)result.Single<object>()).Scope);
        session.Run("Invoke-OidcCliLogin -UseDeviceCode -Authority http://idp.example.com/oidc").AssertError("InsecureBaseUrl", ErrorCategory.SecurityError);
        session.Run("Invoke-OidcCliLogin -UseDeviceCode -Authority $args[0]", _emulator.BaseUrl + "/nothing").AssertError("OidcDiscoveryNotFound", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void AsPlainText_returns_the_tokens_as_strings_and_masks_them_in_CI()
    {
        using var session = new PsSession();
        session.SetEnv("GITHUB_ACTIONS", "true");
        Idp.AutoApprove = true;
        var result = session.Run(Login + " -AsPlainText", Authority);
        dynamic info = result.Single<object>();
        var id = (string)info.IdToken;
        Assert.Equal(3, id.Split('.').Length);
        Assert.Contains("::add-mask::" + id, result.HostText);
        result.AssertNoSecret(id);
    }

    [Fact]
    public void Ctrl_C_while_waiting_for_the_code_stops_within_a_second_and_writes_nothing()
    {
        using var session = new PsSession();
        using var running = session.Start(Login, Authority);
        Assert.True(running.WaitForHostText("enter the code", TimeSpan.FromSeconds(30)));
        WaitForPolls(1);
        var stopped = running.Stop();
        Assert.True(stopped < TimeSpan.FromSeconds(1), $"Stopping took {stopped.TotalMilliseconds:0} ms");
        running.Finish(TimeSpan.FromSeconds(5));
        // The code cannot be withdrawn (RFC 8628): the person is told approving it now does nothing here.
        Assert.Contains($"The login to {Authority} was cancelled; nothing was saved. The page left open in the browser will do nothing here", session.Host.Recorder.Text);
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public async Task MSAL_is_not_loaded_by_Import_Module_nor_by_a_device_code_login()
    {
        // Other tests in this process may run the interactive (MSAL) flow, so the check runs in a
        // fresh process that executes only this test.
        if (Environment.GetEnvironmentVariable("NARAAUTH_MSAL_CHECK") == "1")
        {
            using var session = new PsSession();
            Assert.Empty(LoadedMsal());
            Idp.AutoApprove = true;
            session.Run(Login, Authority).Single<object>();
            Assert.Contains(AssemblyLoadContext.All.SelectMany(c => c.Assemblies), a => a.GetName().Name == "NaraAuth.Core");
            Assert.Empty(LoadedMsal());
            return;
        }
        var testAssembly = typeof(OidcDeviceCodeTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", $"exec \"{testAssembly}\" -method \"{typeof(OidcDeviceCodeTests).FullName}.{nameof(MSAL_is_not_loaded_by_Import_Module_nor_by_a_device_code_login)}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NARAAUTH_MSAL_CHECK"] = "1";
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(child.WaitForExit(120_000), "The isolated check did not finish.");
        var text = await output + await errors;
        Assert.True(child.ExitCode == 0, "Isolated check failed: " + text);
        Assert.Contains("Total: 1", text);
        Assert.Contains("Failed: 0", text);
    }

    private static List<string> LoadedMsal() =>
        AppDomain.CurrentDomain.GetAssemblies().Concat(AssemblyLoadContext.All.SelectMany(c => c.Assemblies))
            .Select(a => a.GetName().Name ?? string.Empty)
            .Where(n => n.StartsWith("Microsoft.Identity.Client", StringComparison.Ordinal))
            .Distinct().ToList();

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
