using System.Management.Automation;
using System.Text.RegularExpressions;
using NaraAuth.TestSupport.Harness;
using NaraAuth.TestSupport.Oidc;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>
/// Both direct OIDC logins against OpenIddict, a provider implementation the project does not
/// write, over real https, through the engine: the browser (PKCE through MSAL, the curl double)
/// and the device code.
/// </summary>
public partial class OpenIddictLoginTests : IClassFixture<OpenIddictProviderFixture>
{
    private const string Login = "Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -LoginTimeoutSec 60";
    private readonly OpenIddictProviderFixture _idp;

    public OpenIddictLoginTests(OpenIddictProviderFixture idp)
    {
        _idp = idp;
        _idp.IdentityTokenLifetime = TimeSpan.FromHours(1);
        _idp.AccessTokenLifetime = TimeSpan.FromHours(1);
        _idp.HideSigningKeys = false;
    }

    /// <summary>Runs a device code login and approves the shown code as <paramref name="subject"/>.</summary>
    private PsResult DeviceLogin(PsSession session, string extra, string subject)
    {
        using var running = session.Start(Login + " -UseDeviceCode -NoBrowser " + extra, _idp.Issuer);
        if (running.WaitForHostText("enter the code ", TimeSpan.FromSeconds(30)))
        {
            var code = UserCode().Match(session.Host.Recorder.Text.Substring(session.Host.Recorder.Text.LastIndexOf("enter the code ", StringComparison.Ordinal))).Groups[1].Value;
            _idp.ApproveDeviceCodeAsync(code, subject).GetAwaiter().GetResult();
        }
        return running.Finish(TimeSpan.FromSeconds(60));
    }

    [GeneratedRegex(@"enter the code (\S+)")]
    private static partial Regex UserCode();

    [Fact]
    public void Device_code_login_saves_a_validated_session_with_a_refresh_token_because_offline_access_is_asked_for()
    {
        using var session = new PsSession();
        var result = DeviceLogin(session, string.Empty, "ada");
        dynamic info = result.Single<object>();
        Assert.Equal("ada", (string)info.Subject);
        Assert.Equal(_idp.Issuer, (string)info.Issuer);
        Assert.Contains("offline_access", (string)info.Scope);
        Assert.Contains("\"refresh_token\"", File.ReadAllText(OidcSessionFiles.Single(session)!));
        // Both tokens live an hour: the next call reuses the session without asking anyone.
        Assert.Equal("Saved", (string)((dynamic)session.Run(Login + " -UseDeviceCode -NoBrowser", _idp.Issuer).Single<object>()).Source.ToString());
    }

    [Fact]
    public void Access_token_expiry_is_shown_and_an_access_token_expiring_first_is_refreshed()
    {
        using var session = new PsSession();
        _idp.AccessTokenLifetime = TimeSpan.FromMinutes(3);
        dynamic info = DeviceLogin(session, string.Empty, "ada").Single<object>();
        Assert.InRange((((DateTimeOffset)info.AccessTokenExpiresOn) - DateTimeOffset.UtcNow).TotalMinutes, 2.5, 3.1);
        Assert.InRange((((DateTimeOffset)info.IdTokenExpiresOn) - DateTimeOffset.UtcNow).TotalMinutes, 55, 61);
        Assert.Equal((DateTimeOffset)info.AccessTokenExpiresOn, (DateTimeOffset)info.ExpiresOn);

        _idp.AccessTokenLifetime = TimeSpan.FromHours(1);
        var refreshes = _idp.RefreshGrants;
        var again = session.Run(Login + " -UseDeviceCode -NoBrowser", _idp.Issuer);
        Assert.Equal("Refreshed", (string)((dynamic)again.Single<object>()).Source.ToString());
        Assert.Equal(refreshes + 1, _idp.RefreshGrants);
        Assert.Equal("ada", (string)((dynamic)again.Output[0]).Subject);
    }

    [Fact]
    public void Without_offline_access_OpenIddict_issues_no_refresh_token_and_verbose_says_why()
    {
        using var session = new PsSession();
        _idp.IdentityTokenLifetime = TimeSpan.FromMinutes(2);
        var result = DeviceLogin(session, "-Scopes openid,email", "ada");
        result.Single<object>();
        Assert.DoesNotContain("\"refresh_token\"", File.ReadAllText(OidcSessionFiles.Single(session)!));
        Assert.Contains(result.Verbose, v => v.Message.Contains("no refresh token (offline_access was not asked for)", StringComparison.Ordinal));
        var again = DeviceLogin(session, "-Scopes openid,email", "ada");
        Assert.Equal("DeviceCode", (string)((dynamic)again.Single<object>()).Source.ToString());
        Assert.Contains(again.Verbose, v => v.Message.Contains("cannot be refreshed silently", StringComparison.Ordinal));
    }

    [Fact]
    public void Browser_login_ends_on_a_page_with_the_account_and_a_silent_refresh_keeps_the_sessions_account()
    {
        using var session = new PsSession();
        _idp.IdentityTokenLifetime = TimeSpan.FromMinutes(2);
        var log = OidcBrowserDouble.Use(session, "grace");
        var first = session.Run(Login, _idp.Issuer);
        Assert.Equal("grace", (string)((dynamic)first.Single<object>()).Subject);
        var page = OidcBrowserDouble.FinalPage(log);
        Assert.Contains("You are logged in", page);
        Assert.Contains("Grace &lt;grace@openiddict.example&gt;", page);
        Assert.Contains("naraauth-cli", page);

        OidcBrowserDouble.Use(session, "linus");
        Assert.Equal("linus", (string)((dynamic)session.Run(Login + " -Force", _idp.Issuer).Single<object>()).Subject);

        _idp.IdentityTokenLifetime = TimeSpan.FromHours(1);
        session.SetEnv("BROWSER", "/nonexistent/browser");
        var refreshes = _idp.RefreshGrants;
        dynamic refreshed = session.Run(Login + " -UseBrowser", _idp.Issuer).Single<object>();
        Assert.Equal("Refreshed", (string)refreshed.Source.ToString());
        Assert.Equal("linus", (string)refreshed.Subject);
        Assert.Equal(refreshes + 1, _idp.RefreshGrants);
    }

    [Fact]
    public void Cancel_at_OpenIddict_is_OidcAccessDenied()
    {
        using var session = new PsSession();
        var log = OidcBrowserDouble.Use(session, extraQuery: "&decision=cancel");
        session.Run(Login, _idp.Issuer).AssertError("OidcAccessDenied", ErrorCategory.PermissionDenied);
        Assert.Contains("denied or cancelled", OidcBrowserDouble.FinalPage(log));
        Assert.Null(OidcSessionFiles.Single(session));
    }

    [Fact]
    public void A_stray_request_to_the_listener_is_turned_away_and_the_OpenIddict_login_completes()
    {
        using var session = new PsSession();
        var stray = Path.Combine(session.TempDir, "stray");
        var log = OidcBrowserDouble.Use(session, before: $"curl -s -o /dev/null -w '%{{http_code}}' http://127.0.0.1:$port/ > '{stray}'");
        Assert.Equal("grace", (string)((dynamic)session.Run(Login, _idp.Issuer).Single<object>()).Subject);
        Assert.Equal("400", File.ReadAllText(stray));
        Assert.Contains("You are logged in", OidcBrowserDouble.FinalPage(log));
    }

    [Fact]
    public void In_CI_the_browser_login_is_refused_in_under_a_second()
    {
        using var session = new PsSession();
        var log = OidcBrowserDouble.Use(session);
        session.SetEnv("TF_BUILD", "True");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = session.Run(Login, _idp.Issuer);
        clock.Stop();
        result.AssertError("BrowserLoginNotInteractive", ErrorCategory.InvalidOperation);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The refusal took {clock.ElapsedMilliseconds} ms");
        Assert.False(File.Exists(log));
    }
}
