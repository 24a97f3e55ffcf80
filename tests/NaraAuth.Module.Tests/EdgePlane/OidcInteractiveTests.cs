using System.Management.Automation;
using System.Text.Json;
using NaraAuth.Emulator;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests.EdgePlane;

/// <summary>
/// Interactive authorization code + PKCE through MSAL against the emulator's provider over https,
/// with a browser double (curl, started through BROWSER as a real browser would be) that signs in
/// and follows the redirect to MSAL's loopback listener.
/// </summary>
public class OidcInteractiveTests : IClassFixture<HttpsEmulatorFixture>
{
    private const string Login = "Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli";
    private readonly HttpsEmulatorFixture _emulator;
    private OidcProviderStore Idp => _emulator.State.Oidc;
    private string Authority => _emulator.HttpsBaseUrl + "/oidc";

    public OidcInteractiveTests(HttpsEmulatorFixture emulator)
    {
        _emulator = emulator;
        Idp.TamperState = null;
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        Idp.AutoApprove = false;
    }

    private static string UseBrowserDouble(PsSession session, string subject = "grace") => OidcBrowserDouble.Use(session, subject);

    private static string? SessionFile(PsSession session)
    {
        var dir = Path.Combine(session.Home, ".config", "NaraAuth", "oidc");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*.json").SingleOrDefault() : null;
    }

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
        Assert.Equal("Interactive", (string)info.Source);
        Assert.Equal(Authority, (string)info.Issuer);

        // What MSAL asked the provider for: PKCE S256, a loopback redirect with a port, no select_account.
        var query = Idp.LastAuthorizeQuery!;
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/?$", query["redirect_uri"]);
        Assert.False(query.TryGetValue("prompt", out var prompt) && prompt == "select_account");
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Contains(query["redirect_uri"].TrimEnd('/'), File.ReadAllText(log)); // the double really landed on the loopback listener
        Assert.Contains("Logged in", File.ReadAllText(log + ".page"));

        var path = SessionFile(session)!;
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
    public void Wrong_state_in_the_redirect_is_refused_and_nothing_is_saved()
    {
        using var session = new PsSession();
        UseBrowserDouble(session);
        Idp.TamperState = "forged-state";
        var result = session.Run(Login + " -Force", Authority);
        result.AssertError("OidcStateMismatch", ErrorCategory.SecurityError);
        Assert.Null(SessionFile(session));
    }

    [Fact]
    public void A_session_near_its_end_is_refreshed_silently_from_the_MSAL_cache()
    {
        using var session = new PsSession();
        UseBrowserDouble(session);
        Idp.IdTokenLifetime = TimeSpan.FromMinutes(2);
        Assert.Equal("Interactive", ((dynamic)session.Run(Login, Authority).Single<object>()).Source);
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        var refreshes = Idp.RefreshCount;
        // No browser this time: a browser start would fail the login.
        session.SetEnv("BROWSER", "/nonexistent/browser");
        var again = session.Run(Login, Authority);
        Assert.Equal("Refreshed", ((dynamic)again.Single<object>()).Source);
        Assert.Equal(refreshes + 1, Idp.RefreshCount);
        Assert.Equal("Saved", ((dynamic)session.Run(Login, Authority).Single<object>()).Source);
    }

    [Fact]
    public void NoBrowser_prints_the_URL_and_Ctrl_C_while_waiting_for_the_redirect_stops_within_a_second()
    {
        using var session = new PsSession();
        using var running = session.Start(Login + " -NoBrowser -Force", Authority);
        Assert.True(running.WaitForHostText("/oidc/authorize?", TimeSpan.FromSeconds(30)), "The authorize URL was not shown.");
        Assert.Contains("code_challenge_method=S256", session.Host.Recorder.Text);
        var stopped = running.Stop();
        Assert.True(stopped < TimeSpan.FromSeconds(1), $"Stopping took {stopped.TotalMilliseconds:0} ms");
        running.Finish(TimeSpan.FromSeconds(5));
        Assert.Null(SessionFile(session));
    }

    [Fact]
    public void Interactive_mode_needs_an_https_authority()
    {
        using var session = new PsSession();
        // The same provider over http: discovery works, the browser mode refuses before opening anything.
        var result = session.Run(Login, _emulator.BaseUrl + "/oidc");
        result.AssertError("OidcInteractiveNeedsHttps", ErrorCategory.InvalidArgument);
        Assert.Null(SessionFile(session));
    }
}
