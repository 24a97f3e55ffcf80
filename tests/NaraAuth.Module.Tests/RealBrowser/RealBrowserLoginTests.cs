using NaraAuth.Module.Tests.EdgePlane;
using NaraAuth.TestSupport.Harness;
using NaraAuth.Module.Tests.Oidc;
using NaraAuth.TestSupport.Certificates;
using NaraAuth.TestSupport.EdgeConnector;

namespace NaraAuth.Module.Tests.RealBrowser;

/// <summary>
/// The two browser logins with a real, headless Chromium playing the person. The module opens
/// "the browser" through BROWSER, which hands the URL to the running Chromium (as xdg-open hands
/// a URL to a running browser); Chromium renders the provider's pages, presses the buttons,
/// runs the form_post script back to the 127.0.0.1 listener and shows the final page, of which
/// a screenshot is saved under the test output (TestResults/browser).
/// </summary>
[Trait("Category", "RealBrowser")]
public class RealBrowserLoginTests : IClassFixture<HttpsEmulatorFixture>, IClassFixture<OpenIddictProviderFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly HttpsEmulatorFixture _emulator;
    private readonly OpenIddictProviderFixture _openIddict;

    public RealBrowserLoginTests(HttpsEmulatorFixture emulator, OpenIddictProviderFixture openIddict)
    {
        _emulator = emulator;
        _openIddict = openIddict;
        _emulator.State.Oidc.AutoApprove = false;
        _emulator.State.Oidc.TamperState = null;
        _emulator.State.EdgeConnector.Reset();
        _emulator.State.EdgeConnector.IntervalSeconds = 0.2;
    }

    [Fact]
    public async Task Desktop_login_approved_on_the_emulators_page_in_Chromium_connects_the_Edge_Connector()
    {
        using var session = new PsSession();
        session.SetEnv("LOCALAPPDATA", Path.Combine(session.Home, ".config"));
        var handoff = new BrowserDouble(session);
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        await using var chromium = await HeadlessChromium.StartAsync();
        using var running = session.Start("Connect-EdgeConnector -TokenPath $args[0] -BaseUrl $args[1] -SkipBundleSync", target, _emulator.BaseUrl);

        var url = handoff.WaitForUrl(Patience);
        await chromium.Page.GoToAsync(url);
        var code = _emulator.State.EdgeConnector.Logins.Single().Code;
        Assert.Contains(code, await chromium.WaitForTextAsync("Check that your terminal shows this code", Patience));
        Assert.True(running.WaitForHostText(code, Patience), "The console did not show the code the page shows.");
        await Task.WhenAll(chromium.Page.WaitForNavigationAsync(), chromium.Page.ClickAsync("button[value=approve]"));
        var final = await chromium.WaitForTextAsync("Approved", Patience);
        Assert.Contains("return to the terminal", final);
        Assert.True(File.Exists(await chromium.ScreenshotAsync("desktop-login-approved")));

        var result = running.Finish(Patience);
        dynamic connection = result.Single<object>();
        Assert.Equal("Connected", (string)connection.Status.ToString());
        Assert.Equal("Browser", (string)connection.Mode.ToString());
        Assert.True(File.Exists(target));
    }

    [Fact]
    public async Task PKCE_login_through_MSAL_in_Chromium_ends_on_the_page_that_names_the_account()
    {
        var text = await LogInWithChromiumAsync(_emulator.HttpsBaseUrl + "/oidc", "grace", "oidc-pkce-emulator");
        Assert.Contains("Logged in as grace <ada@example.com> to the application naraauth-cli", text);
    }

    [Fact]
    public async Task PKCE_login_through_MSAL_in_Chromium_against_OpenIddict_ends_on_the_page_that_names_the_account()
    {
        var text = await LogInWithChromiumAsync(_openIddict.Issuer, "hedy", "oidc-pkce-openiddict");
        Assert.Contains("Logged in as Hedy <hedy@openiddict.example> to the application naraauth-cli", text);
    }

    /// <summary>Signs in at the provider's page as <paramref name="subject"/>; returns the final page's text once PowerShell is done.</summary>
    private async Task<string> LogInWithChromiumAsync(string authority, string subject, string screenshot)
    {
        using var session = new PsSession();
        var handoff = new BrowserDouble(session);
        await using var chromium = await HeadlessChromium.StartAsync();
        using var running = session.Start("Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -UseBrowser -LoginTimeoutSec 120", authority);

        var url = handoff.WaitForUrl(Patience);
        Assert.Contains("code_challenge_method=S256", url);
        await chromium.Page.GoToAsync(url);
        await chromium.Page.WaitForSelectorAsync("#sign-in");
        await chromium.Page.EvaluateFunctionAsync("v => { const f = document.querySelector('input[name=login_as]'); f.value = v; }", subject);
        await chromium.Page.ClickAsync("#sign-in");
        // The provider's answer is posted by its page's script to 127.0.0.1; the listener answers only
        // after PowerShell has validated the ID token, so this text is PowerShell's verdict.
        var text = await chromium.WaitForTextAsync("You are logged in", Patience);
        Assert.StartsWith("http://127.0.0.1:", chromium.Page.Url);
        Assert.True(File.Exists(await chromium.ScreenshotAsync(screenshot)));

        var result = running.Finish(Patience);
        dynamic info = result.Single<object>();
        Assert.Equal(subject, (string)info.Subject);
        Assert.Equal("Interactive", (string)info.Source.ToString());
        Assert.Contains("A browser window opened for the login to ", result.HostText);

        // Closing the browser leaves no Chromium process and no profile folder behind.
        var profile = chromium.ProfileFolder;
        await chromium.DisposeAsync();
        Assert.False(HeadlessChromium.AnyRunning(profile), "A Chromium process outlived the test.");
        Assert.False(Directory.Exists(profile));
        return text.Replace("\n", " ").Replace("  ", " ");
    }
}
