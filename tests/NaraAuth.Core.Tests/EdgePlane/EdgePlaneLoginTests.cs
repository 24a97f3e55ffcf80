using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgePlane.Login;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Tests.EdgeConnector;
using NaraAuth.Emulator;

namespace NaraAuth.Core.Tests.EdgePlane;

/// <summary>Invoke-OidcCliLogin's EdgePlane mode as one Core use case, against the emulator over loopback HTTP.</summary>
public class EdgePlaneLoginTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private readonly TempDir _home = new();
    private readonly RecordingReporter _reporter = new();

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _home.Dispose();
    }

    private string SessionPath => _home.Combine(".edgeplane", "session.json");

    private EdgePlaneLogin Login(RecordingBrowser browser) =>
        new(new CoreContext(new FakeEnvironment(_home.Path), SystemClock.Instance, _home.Path), _reporter, browser);

    private EdgePlaneLoginRequest Request() => new() { BaseUrl = _server.BaseUrl.ToString(), LoginTimeout = TimeSpan.FromMinutes(2) };

    /// <summary>The person logs in on the page the browser was given.</summary>
    private RecordingBrowser PersonWhoLogsIn() => new()
    {
        OnOpen = url => _server.State.EdgePlane.Complete(Uri.UnescapeDataString(url.Split("cli_nonce=")[1])),
    };

    [Fact]
    public async Task A_browser_login_prompts_once_polls_for_the_grant_exchanges_and_saves()
    {
        var browser = PersonWhoLogsIn();
        var login = Login(browser);
        var plan = await login.PlanAsync(Request(), CancellationToken.None);
        Assert.Equal(SessionPath, plan.Target);
        var result = await login.ExecuteAsync(plan, true, CancellationToken.None);

        Assert.False(result!.Kept);
        Assert.Equal("ada", result.Session.Subject);
        Assert.True(File.Exists(SessionPath));
        var url = Assert.Single(browser.Opened);
        Assert.Contains(url, _reporter.Information);
        Assert.Contains(_reporter.Information, l => l.StartsWith("A browser window opened for the login to EdgePlane at ", StringComparison.Ordinal));
        Assert.Contains(_reporter.Information, l => l.StartsWith("Logged in to ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_saved_session_that_does_the_job_is_kept_without_a_question()
    {
        var first = Login(PersonWhoLogsIn());
        await first.ExecuteAsync(await first.PlanAsync(Request(), CancellationToken.None), true, CancellationToken.None);
        var before = File.ReadAllBytes(SessionPath);

        var browser = new RecordingBrowser();
        var login = Login(browser);
        var plan = await login.PlanAsync(Request(), CancellationToken.None);
        Assert.Null(plan.Action);
        var result = await login.ExecuteAsync(plan, false, CancellationToken.None);

        Assert.True(result!.Kept);
        Assert.Empty(browser.Opened);
        Assert.Equal(before, File.ReadAllBytes(SessionPath));
        Assert.Contains(_reporter.Information, l => l.StartsWith("Already logged in to ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_WhatIf_plan_starts_no_login_and_writes_nothing()
    {
        var browser = new RecordingBrowser();
        var login = Login(browser);
        var plan = await login.PlanAsync(Request(), CancellationToken.None);

        Assert.StartsWith("Log in to EdgePlane at " + _server.BaseUrl, plan.Action);
        Assert.Null(await login.ExecuteAsync(plan, false, CancellationToken.None));
        Assert.Empty(browser.Opened);
        Assert.False(File.Exists(SessionPath));
    }

    [Fact]
    public async Task A_typed_grant_id_is_exchanged_and_a_blank_one_is_refused()
    {
        string? grant = null;
        var browser = new RecordingBrowser { OnOpen = url => grant = _server.State.EdgePlane.Complete(Uri.UnescapeDataString(url.Split("cli_nonce=")[1])) };
        var request = Request();
        request.AskForGrantId = _ => Task.FromResult(grant);
        var login = Login(browser);
        var result = await login.ExecuteAsync(await login.PlanAsync(request, CancellationToken.None), true, CancellationToken.None);
        Assert.Equal("ada", result!.Session.Subject);

        request.Force = true;
        request.AskForGrantId = _ => Task.FromResult<string?>("  ");
        var e = await Assert.ThrowsAsync<NaraAuthException>(async () => await login.ExecuteAsync(await login.PlanAsync(request, CancellationToken.None), true, CancellationToken.None));
        Assert.Equal("EdgePlaneGrantMissing", e.ErrorId);
    }

    [Fact]
    public async Task Nobody_at_the_console_fails_in_the_plan_but_a_given_grant_needs_nobody()
    {
        var request = Request();
        request.NonInteractiveReason = "this is a CI job";
        var e = await Assert.ThrowsAsync<NaraAuthException>(() => Login(new RecordingBrowser()).PlanAsync(request, CancellationToken.None));
        Assert.Equal("BrowserLoginNotInteractive", e.ErrorId);

        request.GrantId = "olg_given";
        var plan = await Login(new RecordingBrowser()).PlanAsync(request, CancellationToken.None);
        Assert.StartsWith("Exchange the grant at ", plan.Action);
    }

    [Fact]
    public async Task Ctrl_C_during_the_wait_says_the_login_was_cancelled_and_writes_nothing()
    {
        using var stop = new CancellationTokenSource();
        var login = Login(new RecordingBrowser { OnOpen = _ => stop.CancelAfter(TimeSpan.FromMilliseconds(300)) });
        var plan = await login.PlanAsync(Request(), CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => login.ExecuteAsync(plan, true, stop.Token));
        Assert.Contains(_reporter.Information, l => l.StartsWith("The login to EdgePlane at ", StringComparison.Ordinal) && l.Contains("was cancelled"));
        Assert.False(File.Exists(SessionPath));
    }
}
