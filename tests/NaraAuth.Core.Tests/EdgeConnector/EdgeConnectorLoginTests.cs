using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Browser;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.EdgeConnector.Login;
using NaraAuth.Core.Errors;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Core.Tests.EdgeConnector;

/// <summary>A browser for Core tests: records what it was asked to open, and starts or fails as told.</summary>
public sealed class RecordingBrowser : IBrowserLauncher
{
    private readonly bool _starts;
    public RecordingBrowser(bool starts = true) => _starts = starts;
    public List<string> Opened { get; } = new();
    public Action<string>? OnOpen { get; set; }

    public BrowserLaunchResult Open(string url)
    {
        Opened.Add(url);
        OnOpen?.Invoke(url);
        return _starts ? BrowserLaunchResult.Success("the test browser") : BrowserLaunchResult.Failure("no browser in this test");
    }
}

/// <summary>
/// Connect-EdgeConnector's whole sequence as one Core use case, against the emulator over loopback
/// HTTP: the plan reads only, and its execution logs in, saves and syncs.
/// </summary>
public class EdgeConnectorLoginTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private readonly TempDir _dir = new();
    private readonly RecordingReporter _reporter = new();

    public async ValueTask InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        _server.State.EdgeConnector.IntervalSeconds = 0.2;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string TokenPath => _dir.Combine("install", "auth-token.json");
    private string BundlePath => _dir.Combine("install", "default-bundle.json");

    private EdgeConnectorLogin Login(IBrowserLauncher? browser = null, FakeEnvironment? environment = null) =>
        new(new CoreContext(environment ?? new FakeEnvironment(_dir.Path), SystemClock.Instance, _dir.Path), _reporter, browser ?? new RecordingBrowser());

    private EdgeConnectorLoginRequest Request(EdgeConnectorLoginMode mode = EdgeConnectorLoginMode.Browser) => new()
    {
        RequestedMode = mode,
        BaseUrl = _server.BaseUrl.ToString(),
        TokenPath = TokenPath,
        LoginTimeout = TimeSpan.FromMinutes(2),
    };

    /// <param name="cancellationToken">Null: the test's own, so a cancelled run stops the login.</param>
    private static async Task<EdgeConnectorLoginResult?> RunAsync(EdgeConnectorLogin login, EdgeConnectorLoginRequest request, bool confirmed = true, CancellationToken? cancellationToken = null)
    {
        var token = cancellationToken ?? TestContext.Current.CancellationToken;
        var plan = await login.PlanAsync(request, token);
        return await login.ExecuteAsync(plan, confirmed, token);
    }

    [Fact]
    public async Task Browser_login_opens_the_page_once_shows_the_url_on_its_own_line_and_saves_token_and_bundle()
    {
        _server.State.PreApprove = true;
        var browser = new RecordingBrowser();
        var result = await RunAsync(Login(browser), Request());

        Assert.NotNull(result);
        Assert.Equal((EdgeConnectorLoginMode.Browser, EdgeConnectorLoginStatus.Connected), (result!.Mode, result.Status));
        var url = Assert.Single(browser.Opened);
        Assert.Contains(_reporter.Information, line => line.StartsWith("A browser window opened for the login to the Edge Connector", StringComparison.Ordinal));
        Assert.Contains(url, _reporter.Information);
        Assert.Contains(_reporter.Information, line => line.Contains("check that the page shows the code "));
        Assert.All(_reporter.Countdowns, c => Assert.DoesNotContain("http", c.Status));
        Assert.True(File.Exists(TokenPath));
        Assert.Equal(BundlePath, result.BundlePath);
        Assert.True(File.Exists(BundlePath));
        Assert.Null(result.BundleError);
    }

    [Fact]
    public async Task Without_a_browser_the_url_stands_whole_on_its_own_line_and_the_reason_is_given()
    {
        _server.State.PreApprove = true;
        var result = await RunAsync(Login(new RecordingBrowser(starts: false)), Request());

        Assert.Equal(EdgeConnectorLoginStatus.Connected, result!.Status);
        var lines = _reporter.Information.ToList();
        var said = lines.FindIndex(l => l.StartsWith("Could not open a browser (no browser in this test)", StringComparison.Ordinal));
        Assert.True(said >= 0, string.Join("\n", lines));
        Assert.Matches(@"^https?://\S+/desktop/approve\?code=\S+$", lines[said + 1]);
    }

    [Fact]
    public async Task NoBrowser_opens_nothing_and_says_where_to_go()
    {
        _server.State.PreApprove = true;
        var browser = new RecordingBrowser();
        var request = Request();
        request.NoBrowser = true;
        await RunAsync(Login(browser), request);

        Assert.Empty(browser.Opened);
        Assert.Contains(_reporter.Information, l => l.Contains("-NoBrowser"));
        Assert.Contains(_reporter.Information, l => l.Contains("/desktop/approve?code=") && !l.Contains(' '));
    }

    [Fact]
    public async Task A_stored_token_that_does_the_job_is_kept_without_asking_or_opening_a_browser()
    {
        var token = Request(EdgeConnectorLoginMode.Token);
        token.Token = _server.State.MintToken(lifetime: TimeSpan.FromHours(8));
        token.SkipBundleSync = true;
        await RunAsync(Login(), token);
        var saved = File.ReadAllBytes(TokenPath);

        var browser = new RecordingBrowser();
        var login = Login(browser);
        var plan = await login.PlanAsync(Request(), CancellationToken.None);
        Assert.Null(plan.Action);
        var result = await login.ExecuteAsync(plan, confirmed: false, CancellationToken.None);

        Assert.Equal(EdgeConnectorLoginStatus.AlreadyConnected, result!.Status);
        Assert.Empty(browser.Opened);
        Assert.Equal(saved, File.ReadAllBytes(TokenPath));
        Assert.Contains(_reporter.Information, l => l.StartsWith("Already connected: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_login_validates_saves_and_syncs()
    {
        var request = Request(EdgeConnectorLoginMode.Token);
        request.Token = _server.State.MintToken();
        var result = await RunAsync(Login(), request);

        Assert.Equal((EdgeConnectorLoginMode.Token, EdgeConnectorLoginStatus.Connected), (result!.Mode, result.Status));
        Assert.True(result.Token!.SignatureVerified);
        Assert.Contains(request.Token, File.ReadAllText(TokenPath));
        Assert.True(File.Exists(BundlePath));
    }

    [Fact]
    public async Task A_bad_token_fails_in_the_plan_with_its_own_error_and_nothing_is_written()
    {
        var request = Request(EdgeConnectorLoginMode.Token);
        request.Token = _server.State.MintToken(org: "org_404");
        var e = await Assert.ThrowsAsync<NaraAuthException>(() => Login().PlanAsync(request, CancellationToken.None));
        Assert.Equal("OrganizationNotFound", e.ErrorId);
        Assert.False(Directory.Exists(_dir.Combine("install")));
    }

    [Fact]
    public async Task The_WhatIf_plan_names_the_change_and_writes_nothing()
    {
        var request = Request(EdgeConnectorLoginMode.Token);
        request.Token = _server.State.MintToken();
        var login = Login();
        var plan = await login.PlanAsync(request, CancellationToken.None);

        Assert.Equal(TokenPath, plan.Target);
        Assert.Contains("Save the validated token for organization 'org_1'", plan.Action);
        Assert.Contains(BundlePath, plan.Action);
        Assert.Null(await login.ExecuteAsync(plan, confirmed: false, CancellationToken.None));
        Assert.False(Directory.Exists(_dir.Combine("install")));
    }

    [Fact]
    public async Task The_WhatIf_plan_of_a_browser_login_opens_nothing_and_starts_no_login()
    {
        var browser = new RecordingBrowser();
        var login = Login(browser);
        var plan = await login.PlanAsync(Request(), CancellationToken.None);

        Assert.StartsWith("Log in through the browser at " + _server.BaseUrl, plan.Action);
        Assert.Null(await login.ExecuteAsync(plan, confirmed: false, CancellationToken.None));
        Assert.Empty(browser.Opened);
        Assert.Equal(0, _server.State.Faults.CountOf("POST", DesktopLoginFlow.StartPath));
        Assert.False(File.Exists(TokenPath));
    }

    [Fact]
    public async Task Nobody_at_the_console_fails_in_the_plan_before_any_login_starts()
    {
        var request = Request();
        request.NonInteractiveReason = "this is a CI job";
        var e = await Assert.ThrowsAsync<NaraAuthException>(() => Login().PlanAsync(request, CancellationToken.None));
        Assert.Equal("BrowserLoginNotInteractive", e.ErrorId);
        Assert.Equal(0, _server.State.Faults.CountOf("POST", DesktopLoginFlow.StartPath));
    }

    [Fact]
    public async Task A_failed_bundle_sync_keeps_the_saved_login_and_says_what_is_missing()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = BundleSync.Path, Status = 404, Count = 10 });
        var request = Request(EdgeConnectorLoginMode.Token);
        request.Token = _server.State.MintToken();
        var result = await RunAsync(Login(), request);

        Assert.Equal(EdgeConnectorLoginStatus.Connected, result!.Status);
        Assert.True(File.Exists(TokenPath));
        Assert.Null(result.BundlePath);
        Assert.Equal("BundleSyncFailed", result.BundleError!.ErrorId);
    }

    [Fact]
    public async Task Ctrl_C_during_the_browser_wait_says_the_login_was_cancelled_and_writes_nothing()
    {
        using var stop = new CancellationTokenSource();
        var browser = new RecordingBrowser { OnOpen = _ => stop.CancelAfter(TimeSpan.FromMilliseconds(300)) };
        var login = Login(browser);
        var plan = await login.PlanAsync(Request(), CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => login.ExecuteAsync(plan, true, stop.Token));
        Assert.Contains(_reporter.Information, l => l.StartsWith("The login to the Edge Connector was cancelled; nothing was saved.", StringComparison.Ordinal)
            && l.Contains("page left open in the browser will do nothing"));
        Assert.False(File.Exists(TokenPath));
    }

    [Fact]
    public async Task Deployment_credentials_are_verified_and_saved_only_when_asked_and_confirmed()
    {
        var request = Request(EdgeConnectorLoginMode.Deployment);
        request.DeploymentId = "dep_abc123";
        request.DeploymentSecret = "sec_xyz789";
        request.SaveCredentialsTo = _dir.Combine("creds", "deployment.json");
        var login = Login();

        var plan = await login.PlanAsync(request, CancellationToken.None);
        Assert.Contains("deployment:dep_abc123", _server.State.EdgeConnector.AcceptedSockets);
        Assert.Equal(request.SaveCredentialsTo, plan.Target);
        Assert.Null(await login.ExecuteAsync(plan, confirmed: false, CancellationToken.None));
        Assert.False(File.Exists(request.SaveCredentialsTo));

        var result = await login.ExecuteAsync(await login.PlanAsync(request, CancellationToken.None), true, CancellationToken.None);
        Assert.Equal((EdgeConnectorLoginMode.Deployment, EdgeConnectorLoginStatus.Verified), (result!.Mode, result.Status));
        Assert.Equal(request.SaveCredentialsTo, result.CredentialsSavedTo);
        Assert.Equal("dep_abc123", DeploymentCredentials.ReadFile(request.SaveCredentialsTo).DeploymentId);
    }

    [Fact]
    public async Task Deployment_settings_in_the_environment_choose_the_deployment_mode()
    {
        var env = new FakeEnvironment(_dir.Path).Set("DEPLOYMENT_ID", "dep_abc123").Set("DEPLOYMENT_SECRET", "sec_xyz789");
        var plan = await Login(environment: env).PlanAsync(Request(), CancellationToken.None);

        Assert.Equal(EdgeConnectorLoginMode.Deployment, plan.Mode);
        Assert.Null(plan.Action);
        Assert.Contains(EdgeConnectorLoginModes.DeploymentFromEnvironmentNote, _reporter.Verbose);
    }
}
