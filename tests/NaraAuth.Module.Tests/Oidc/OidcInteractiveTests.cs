using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Text.Json;
using NaraAuth.Emulator;
using NaraAuth.TestSupport.Harness;

using NaraAuth.Module.Tests.EdgePlane;
using NaraAuth.TestSupport.Certificates;
using NaraAuth.TestSupport.Oidc;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>
/// Interactive authorization code + PKCE through MSAL against the emulator's provider over https,
/// with a browser double (curl, started through BROWSER as a real browser would be) that signs in
/// and follows the redirect to MSAL's loopback listener.
/// </summary>
public class OidcInteractiveTests : IClassFixture<HttpsEmulatorFixture>
{
    private const string Login = "Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -LoginTimeoutSec 60";
    private readonly HttpsEmulatorFixture _emulator;
    private OidcProviderStore Idp => _emulator.State.Oidc;
    private string Authority => _emulator.HttpsBaseUrl + "/oidc";

    public OidcInteractiveTests(HttpsEmulatorFixture emulator)
    {
        _emulator = emulator;
        Idp.TamperState = null;
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        Idp.AccessTokenLifetime = null;
        Idp.AutoApprove = false;
        Idp.AdvertiseIss = false;
        Idp.TamperIss = null;
        Idp.NextIdTokenDefect = IdTokenDefect.None;
        _emulator.State.Faults.Clear();
    }

    private static string Page(string log) => OidcBrowserDouble.FinalPage(log);

    private static string UseBrowserDouble(PsSession session, string subject = "grace") => OidcBrowserDouble.Use(session, subject);

    private static void AssertSecretOnlyIn(PsSession session, string secret, params string[] allowed)
    {
        foreach (var file in Directory.GetFiles(session.TempDir, "*", SearchOption.AllDirectories))
        {
            if (allowed.Contains(file)) continue;
            Assert.False(File.ReadAllText(file).Contains(secret, StringComparison.Ordinal), $"A secret was written to '{file}'.");
        }
    }

    [Fact]
    public void Browser_double_logs_in_and_the_loopback_redirect_completes_the_flow()
    {
        using var session = new PsSession();
        var log = UseBrowserDouble(session);
        var result = session.Run(Login, Authority);

        dynamic info = result.Single<object>();
        Assert.Equal("grace", (string)info.Subject);
        Assert.Equal("Interactive", (string)info.Source.ToString());
        Assert.Equal(Authority, (string)info.Issuer);

        // What MSAL asked the provider for: PKCE S256, a loopback redirect with a port, no select_account.
        var query = Idp.LastAuthorizeQuery!;
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/?$", query["redirect_uri"]);
        Assert.False(query.TryGetValue("prompt", out var prompt) && prompt == "select_account");
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Contains("Logged in", Page(log));
        Assert.Contains(query["redirect_uri"].TrimEnd('/'), File.ReadAllText(log)); // the double really landed on the loopback listener

        var path = OidcSessionFiles.Single(session)!;
        var cache = Path.ChangeExtension(path, ".msal.bin");
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, path);
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, cache);
        using var file = JsonDocument.Parse(File.ReadAllText(path));
        var idToken = file.RootElement.GetProperty("id_token").GetString()!;
        var accessToken = file.RootElement.GetProperty("access_token").GetString()!;
        var verifier = Idp.LastCodeVerifier!;
        var refresh = Idp.LastRefreshToken!;
        Assert.Contains(refresh, File.ReadAllText(cache));
        foreach (var secret in new[] { idToken, accessToken, verifier, refresh }) result.AssertNoSecret(secret);
        AssertSecretOnlyIn(session, refresh, cache);
        AssertSecretOnlyIn(session, verifier);
        AssertSecretOnlyIn(session, idToken, path, cache);

        // The browser mode does load MSAL (into NaraAuth's own load context): the check that the
        // other modes do not (OidcDeviceCodeTests) can see it when it is there.
        Assert.Contains(System.Runtime.Loader.AssemblyLoadContext.All.SelectMany(c => c.Assemblies),
            a => a.GetName().Name == "Microsoft.Identity.Client");
    }

    [Fact]
    public void MSAL_and_every_other_request_of_the_browser_login_go_through_the_proxy_tunnel()
    {
        using var session = new PsSession();
        var log = UseBrowserDouble(session);
        var account = new System.Net.NetworkCredential("proxy-user", "proxy-pass-for-the-msal-login");
        using var proxy = new ForwardingProxy(account);
        _emulator.State.Faults.Clear();
        var result = session.Run(Login + " -Force -Proxy $args[1] -ProxyCredential $args[2]", Authority, proxy.Address,
            new PSCredential(account.UserName, account.SecurePassword));
        Assert.Equal("Interactive", ((dynamic)result.Single<object>()).Source.ToString());
        Assert.Contains("Logged in", Page(log));

        // https: one CONNECT per tunnel, with the proxy account; the requests inside are encrypted.
        var origin = new Uri(_emulator.HttpsBaseUrl);
        Assert.Contains(proxy.Forwarded, r => r.Method == "CONNECT" && r.Target == $"{origin.Host}:{origin.Port}");
        proxy.AssertAccountOnlyInProxyAuthorization(account);
        result.AssertNoSecret(account.Password);
        // The provider saw the module's requests (discovery, keys, MSAL's code redemption) only
        // through the proxy; only the browser (the authorization page) came directly.
        var seen = _emulator.State.Faults.Seen;
        Assert.Contains(seen, r => r.Method == "POST" && r.Path == "/oidc/token");
        var around = seen.Where(r => !r.Path.StartsWith("/oidc/authorize", StringComparison.Ordinal) && !proxy.IsOwnOutboundPort(r.RemotePort)).ToList();
        Assert.True(around.Count == 0, "Went around the proxy: " + string.Join(", ", around.Select(r => r.Method + " " + r.Path)));
    }

    [Fact]
    public void An_oversized_answer_to_MSALs_code_redemption_is_not_read_whole_and_nothing_is_saved()
    {
        using var session = new PsSession();
        UseBrowserDouble(session);
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule { PathPrefix = "/oidc/token", Method = "POST", OversizedBytes = 20L * 1024 * 1024, Count = 1 });
        var result = session.Run(Login + " -Force", Authority);
        result.AssertError("ResponseTooLarge", ErrorCategory.LimitsExceeded);
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void An_answer_with_the_wrong_state_is_turned_away_and_never_ends_the_login_so_nothing_is_saved()
    {
        using var session = new PsSession();
        UseBrowserDouble(session);
        Idp.TamperState = "forged-state";
        var result = session.Run(Login.Replace("-LoginTimeoutSec 60", "-LoginTimeoutSec 5", StringComparison.Ordinal) + " -Force", Authority);
        result.AssertError("OidcBrowserLoginTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains(result.Verbose, v => v.Message.Contains("whose state is not this login's", StringComparison.Ordinal));
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void Another_local_program_cannot_end_the_login_with_a_forged_code_or_error()
    {
        using var session = new PsSession();
        var forged = Path.Combine(session.TempDir, "forged");
        var log = OidcBrowserDouble.Use(session, before: string.Join("; ", new[]
        {
            $"curl -s -o /dev/null -w '%{{http_code}}\\n' 'http://127.0.0.1:'$port'/?code=x&state=wrong' > '{forged}'",
            $"curl -s -o /dev/null -w '%{{http_code}}\\n' 'http://127.0.0.1:'$port'/?error=access_denied' >> '{forged}'",
            $"curl -s -o /dev/null -w '%{{http_code}}\\n' -X POST -d 'code=x&state=wrong' 'http://127.0.0.1:'$port'/' >> '{forged}'",
        }));
        var result = session.Run(Login, Authority);
        Assert.Equal("grace", (string)((dynamic)result.Single<object>()).Subject);
        Assert.Equal(new[] { "400", "400", "400" }, File.ReadAllLines(forged));
        Assert.Contains("You are logged in", Page(log));
    }

    [Fact]
    public void A_session_near_its_end_is_refreshed_silently_from_the_MSAL_cache()
    {
        using var session = new PsSession();
        UseBrowserDouble(session);
        Idp.IdTokenLifetime = TimeSpan.FromMinutes(2);
        Assert.Equal("Interactive", ((dynamic)session.Run(Login, Authority).Single<object>()).Source.ToString());
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        var refreshes = Idp.RefreshCount;
        // No browser this time: a browser start would fail the login.
        session.SetEnv("BROWSER", "/nonexistent/browser");
        var again = session.Run(Login, Authority);
        Assert.Equal("Refreshed", ((dynamic)again.Single<object>()).Source.ToString());
        Assert.Equal(refreshes + 1, Idp.RefreshCount);
        Assert.Equal("Saved", ((dynamic)session.Run(Login, Authority).Single<object>()).Source.ToString());
    }

    [Fact]
    public void NoBrowser_prints_the_URL_and_Ctrl_C_while_waiting_for_the_redirect_stops_within_a_second()
    {
        using var session = new PsSession();
        using var running = session.Start(Login + " -NoBrowser -Force", Authority);
        Assert.True(running.WaitForHostText("/oidc/authorize?", TimeSpan.FromSeconds(30)), "The authorize URL was not shown.");
        Assert.Contains("code_challenge_method=S256", session.Host.Recorder.Text);
        // offline_access is granted only on a consent prompt (OpenID Connect Core 11).
        Assert.Contains("prompt=consent", session.Host.Recorder.Text);
        var stopped = running.Stop();
        Assert.True(stopped < TimeSpan.FromSeconds(1), $"Stopping took {stopped.TotalMilliseconds:0} ms");
        running.Finish(TimeSpan.FromSeconds(5));
        Assert.Contains("was cancelled; nothing was saved. The page left open in the browser will do nothing", session.Host.Recorder.Text);
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void Interactive_mode_needs_an_https_authority()
    {
        using var session = new PsSession();
        // The same provider over http: discovery works, the browser mode refuses before opening anything.
        var result = session.Run(Login, _emulator.BaseUrl + "/oidc");
        result.AssertError("OidcInteractiveNeedsHttps", ErrorCategory.InvalidArgument);
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void The_silent_refresh_renews_the_saved_sessions_account_and_never_the_one_before_it()
    {
        using var session = new PsSession();
        Idp.IdTokenLifetime = TimeSpan.FromMinutes(2);
        UseBrowserDouble(session, "grace");
        Assert.Equal("grace", (string)((dynamic)session.Run(Login, Authority).Single<object>()).Subject);
        var graceRefresh = Idp.LastRefreshToken!;
        UseBrowserDouble(session, "linus");
        Assert.Equal("linus", (string)((dynamic)session.Run(Login + " -Force", Authority).Single<object>()).Subject);
        var cache = Path.ChangeExtension(OidcSessionFiles.Single(session)!, ".msal.bin");
        // The earlier person's refresh token is gone from the cache: nothing can switch back to it.
        Assert.DoesNotContain(graceRefresh, File.ReadAllText(cache));

        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        session.SetEnv("BROWSER", "/nonexistent/browser");
        var refreshed = session.Run(Login, Authority);
        dynamic info = refreshed.Single<object>();
        Assert.Equal("Refreshed", (string)info.Source.ToString());
        Assert.Equal("linus", (string)info.Subject);
    }

    [Fact]
    public void The_final_page_names_the_account_and_the_application_after_PowerShell_accepted_the_answer()
    {
        using var session = new PsSession();
        var log = UseBrowserDouble(session, "grace");
        var result = session.Run(Login, Authority);
        Assert.Equal("grace", (string)((dynamic)result.Single<object>()).Subject);
        var page = Page(log);
        Assert.Contains("You are logged in", page);
        Assert.Contains("<strong id=\"account\">grace &lt;ada@example.com&gt;</strong>", page);
        Assert.Contains("<strong id=\"application\">naraauth-cli</strong>", page);
        Assert.Contains("<style>", page);
        Assert.DoesNotContain("code=", page);
        // What the console said: the provider and what to do, the wait stated once; not the
        // authorization URL, which only matters where no browser could be opened.
        Assert.Contains("A browser window opened for the login to " + Authority.TrimEnd('/') + "; finish the login there.", result.HostText);
        Assert.DoesNotContain("/authorize?", result.HostText);
        Assert.Single(Regex.Matches(result.HostText, "Waiting up to 1:00"));
    }

    [Theory]
    [InlineData("signature", "PowerShell refused the login", "signature does not verify", "IdTokenBadSignature")]
    [InlineData("iss", "The login was refused", "RFC 9207", "OidcRedirectIssuerMismatch")]
    public void A_refused_answer_ends_on_a_page_that_says_why_and_nothing_is_saved(string fault, string headline, string reason, string errorId)
    {
        using var session = new PsSession();
        var log = UseBrowserDouble(session);
        if (fault == "state") Idp.TamperState = "forged-state";
        if (fault == "signature") Idp.NextIdTokenDefect = IdTokenDefect.BadSignature;
        if (fault == "iss")
        {
            Idp.AdvertiseIss = true;
            Idp.TamperIss = "https://impostor.example.com/oidc";
        }
        var result = session.Run(Login + " -Force", Authority);
        Assert.Equal(ErrorCategory.SecurityError, result.AssertError(errorId).CategoryInfo.Category);
        var page = Page(log);
        Assert.Contains(headline, page);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(reason), page);
        Assert.DoesNotContain("You are logged in", page);
        Assert.Null(OidcSessionFiles.Single(session));
        // Nor MSAL's cache: the refused login's refresh, access and ID tokens are nowhere on disk.
        Assert.Empty(Directory.EnumerateFiles(session.Home, "*.msal.bin", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_iss_on_the_answer_that_matches_the_issuer_is_accepted_when_the_provider_advertises_RFC_9207()
    {
        using var session = new PsSession();
        UseBrowserDouble(session);
        Idp.AdvertiseIss = true;
        // The answer carries iss = the issuer (the emulator adds it when advertising RFC 9207); a missing or other iss is refused.
        Assert.Equal("grace", (string)((dynamic)session.Run(Login, Authority).Single<object>()).Subject);
    }

    [Fact]
    public void Cancel_in_the_browser_is_OidcAccessDenied_and_the_page_says_so()
    {
        using var session = new PsSession();
        var log = OidcBrowserDouble.Use(session, extraQuery: "&decision=cancel");
        var result = session.Run(Login, Authority);
        var error = result.AssertError("OidcAccessDenied", ErrorCategory.PermissionDenied);
        Assert.DoesNotContain("-ClientId", error.ErrorDetails?.RecommendedAction ?? string.Empty);
        Assert.Contains("denied or cancelled", Page(log));
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void A_stray_request_to_the_listener_gets_400_and_the_login_keeps_waiting()
    {
        using var session = new PsSession();
        var stray = Path.Combine(session.TempDir, "stray");
        var log = OidcBrowserDouble.Use(session, before:
            $"curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:$port/ > '{stray}'; curl -s -o /dev/null -w '%{{http_code}}\\n' 'http://127.0.0.1:'$port'/?state=x' >> '{stray}'; curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:$port/favicon.ico >> '{stray}'");
        var result = session.Run(Login, Authority);
        Assert.Equal("grace", (string)((dynamic)result.Single<object>()).Subject);
        Assert.Equal(new[] { "400", "400", "404" }, File.ReadAllLines(stray));
        Assert.Contains(result.Verbose, v => v.Message.Contains("answered 400", StringComparison.Ordinal));
        Assert.Contains("You are logged in", Page(log));
    }

    [Fact]
    public void No_answer_within_LoginTimeoutSec_ends_with_its_own_error_naming_the_redirect_registration()
    {
        using var session = new PsSession();
        var script = Path.Combine(session.TempDir, "idle-browser.sh");
        File.WriteAllText(script, "#!/bin/sh\nexit 0\n");
        UnixModes.Set(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        session.SetEnv("BROWSER", script);
        var result = session.Run(Login.Replace("-LoginTimeoutSec 60", "-LoginTimeoutSec 4"), Authority);
        var error = result.AssertError("OidcBrowserLoginTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains("redirect URI", error.ErrorDetails!.RecommendedAction);
        Assert.Contains("http://127.0.0.1", error.ErrorDetails.RecommendedAction);
        Assert.Contains("Waiting up to 0:04", result.HostText);
        var ticks = result.Progress.Where(p => p.StatusDescription.Contains("left", StringComparison.Ordinal)).Select(p => p.SecondsRemaining).Distinct().ToList();
        Assert.True(ticks.Count >= 3, "The countdown did not tick every second: " + string.Join(",", ticks));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void Without_a_browser_the_login_falls_back_to_a_device_code_unless_the_browser_was_chosen()
    {
        using var session = new PsSession();
        session.SetEnv("BROWSER", "/nonexistent/browser");
        Idp.AutoApprove = true;
        var fallback = session.Run(Login, Authority);
        Assert.Equal("DeviceCode", (string)((dynamic)fallback.Single<object>()).Source.ToString());
        Assert.Contains(fallback.Warnings, w => w.Message.Contains("device code instead", StringComparison.Ordinal));
        Assert.Contains("enter the code", fallback.HostText);

        session.Run(Login + " -UseBrowser -Force", Authority).AssertError("BrowserNotAvailable", ErrorCategory.ResourceUnavailable);
        session.Run(Login + " -UseBrowser -UseDeviceCode", Authority).AssertError("OidcModeConflict", ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void In_CI_the_browser_login_fails_at_once_naming_what_works_headless_and_opens_nothing()
    {
        using var session = new PsSession();
        var log = UseBrowserDouble(session);
        session.SetEnv("CI", "true");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = session.Run(Login, Authority);
        clock.Stop();
        var error = result.AssertError("BrowserLoginNotInteractive", ErrorCategory.InvalidOperation);
        Assert.Contains("-UseDeviceCode", error.Exception!.Message);
        Assert.Contains("CI job", error.Exception.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The refusal took {clock.ElapsedMilliseconds} ms");
        Assert.False(File.Exists(log), "A browser was started in CI.");
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void WhatIf_names_the_session_file_and_contacts_nobody()
    {
        using var session = new PsSession();
        var log = UseBrowserDouble(session);
        Idp.LastAuthorizeQuery = null;
        var result = session.Run(Login + " -WhatIf", Authority);
        Assert.Empty(result.Output);
        Assert.Contains("What if:", result.HostText + string.Join("\n", result.Information.Select(i => i.MessageData?.ToString())) + session.Host.Recorder.Text);
        Assert.Null(Idp.LastAuthorizeQuery);
        Assert.False(File.Exists(log));
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void The_browser_runs_in_a_session_of_its_own_so_Ctrl_C_in_the_console_does_not_close_it()
    {
        using var session = new PsSession();
        var log = UseBrowserDouble(session);
        session.Run(Login, Authority).Single<object>();
        var browser = File.ReadAllText(log + ".group").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var own = File.ReadAllText("/proc/self/stat");
        var fields = own.Substring(own.LastIndexOf(')') + 2).Split(' ');
        Assert.NotEqual(fields[2], browser[0]); // process group: SIGINT of the console's group does not reach it
        Assert.NotEqual(fields[3], browser[1].Trim()); // session
    }
}
