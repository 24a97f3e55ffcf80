using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Tests.EdgeConnector;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Core.Tests.Oidc;

/// <summary>Invoke-OidcCliLogin -Authority as one Core call, without the engine, against the emulator's provider over loopback HTTP.</summary>
public sealed class OidcLoginRequestTests : IDisposable
{
    private readonly TempDir _home = new();
    private readonly RecordingReporter _reporter = new();

    public void Dispose() => _home.Dispose();

    private CoreContext Context() => new(new FakeEnvironment(_home.Path), SystemClock.Instance, _home.Path, _reporter);

    [Fact]
    public void Asking_for_both_the_device_code_and_the_browser_is_refused_before_anything_is_resolved_or_sent()
    {
        // No authority anywhere: the conflict is what is reported, not the missing setting.
        var error = Assert.Throws<NaraAuthException>(() => OidcLogin.For(new OidcLoginRequest(new RecordingBrowser()) { UseDeviceCode = true, UseBrowser = true }, Context(), _reporter));
        Assert.Equal("OidcModeConflict", error.ErrorId);
        Assert.Equal(NaraErrorCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public async Task A_device_code_login_opens_the_page_saves_the_session_and_says_who_is_logged_in_until_when()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        server.State.Oidc.AutoApprove = true;
        var browser = new RecordingBrowser();
        var issuer = server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/oidc";
        var login = OidcLogin.For(new OidcLoginRequest(browser) { Authority = issuer, ClientId = "naraauth-cli", UseDeviceCode = true }, Context(), _reporter);

        Assert.Equal(issuer, login.Authority.AbsoluteUri.TrimEnd('/'));
        Assert.Contains("Log in to " + issuer, login.Action);
        Assert.False(File.Exists(login.Path), "Planning a login writes nothing.");

        var result = await login.RunAsync(ct);

        Assert.Equal(OidcLoginSource.DeviceCode, result.Source);
        Assert.True(File.Exists(login.Path));
        Assert.Single(browser.Opened);
        Assert.Contains(_reporter.Information, line => line.StartsWith("Logged in to " + issuer, StringComparison.Ordinal) && line.EndsWith("(DeviceCode).", StringComparison.Ordinal));

        // The same request again reuses the saved session: no page, no new code.
        var again = await OidcLogin.For(new OidcLoginRequest(browser) { Authority = issuer, ClientId = "naraauth-cli", UseDeviceCode = true }, Context(), _reporter).RunAsync(ct);
        Assert.Equal(OidcLoginSource.Saved, again.Source);
        Assert.Single(browser.Opened);
    }
}
