using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Text;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Browser;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.EdgePlane.Login;

/// <summary>What the EdgePlane login will do, found by reading only; <see cref="Action"/> is the question for -WhatIf and -Confirm.</summary>
public sealed class EdgePlaneLoginPlan
{
    private readonly Func<bool, CancellationToken, Task<EdgePlaneLoginResult?>> _execute;

    internal EdgePlaneLoginPlan(string target, string? action, Func<bool, CancellationToken, Task<EdgePlaneLoginResult?>> execute)
    {
        Target = target;
        Action = action;
        _execute = execute;
    }

    /// <summary>The session file the login writes.</summary>
    public string Target { get; }
    /// <summary>What will be done; null when a saved session is kept and nothing changes.</summary>
    public string? Action { get; }

    internal Task<EdgePlaneLoginResult?> ExecuteAsync(bool confirmed, CancellationToken cancellationToken) => _execute(confirmed, cancellationToken);
}

/// <summary>The session saved (or kept), and where.</summary>
public sealed class EdgePlaneLoginResult
{
    internal EdgePlaneLoginResult(EdgePlaneSession session, string path, bool kept)
    {
        Session = session;
        Path = path;
        Kept = kept;
    }

    public EdgePlaneSession Session { get; }
    public string Path { get; }
    /// <summary>A saved session already did the job: nothing was changed.</summary>
    public bool Kept { get; }
}

/// <summary>
/// The EdgePlane CLI login (docs/protocol.md 2.1) as one use case: <see cref="PlanAsync"/> keeps a
/// saved session that does the job or says what the login will do; <see cref="ExecuteAsync"/> gets a
/// grant (given, typed by the person, or polled for after the browser prompt), exchanges it and
/// saves the session. How the grant is got is one <see cref="IEdgePlaneGrantSource"/>.
/// </summary>
public sealed class EdgePlaneLogin
{
    private readonly CoreContext _context;
    private readonly IReporter _reporter;
    private readonly IBrowserLauncher _browser;

    /// <param name="browser">Opens the login page: the system browser (<see cref="SystemBrowserLauncher"/>).</param>
    public EdgePlaneLogin(CoreContext context, IReporter reporter, IBrowserLauncher browser)
    {
        _context = context;
        _reporter = reporter;
        _browser = browser;
    }

    /// <summary>The server of <paramref name="request"/> (-BaseUrl, else EP_BASE_URL).</summary>
    public Uri Server(EdgePlaneLoginRequest request) => EdgePlaneUrl.Resolve(request.BaseUrl, _context.Environment);

    public string SessionPath => EdgePlaneSession.DefaultPath(_context.Environment);

    public Task<EdgePlaneLoginPlan> PlanAsync(EdgePlaneLoginRequest request, CancellationToken cancellationToken)
    {
        var baseUrl = Server(request);
        var path = SessionPath;
        if (request.GrantId == null && !request.Force)
        {
            var minimum = request.MinimumValidity ?? EdgePlaneSessionReuse.DefaultMinimumValidity;
            var saved = EdgePlaneSessionReuse.Find(_context.Store, path, baseUrl, _context.Clock.UtcNow, minimum, out var why);
            if (saved != null)
            {
                return Task.FromResult(new EdgePlaneLoginPlan(path, null, (_, _) =>
                {
                    _reporter.Information($"Already logged in to {saved.BaseUrl} as {saved.Subject} until {TimeText.Of(saved.ExpiresAt)}; nothing was changed (use -Force to log in again).");
                    return Task.FromResult<EdgePlaneLoginResult?>(new EdgePlaneLoginResult(saved, path, kept: true));
                }));
            }
            _reporter.Verbose(why);
        }
        var source = GrantSource(request);
        if (source.NeedsPerson && request.NonInteractiveReason is { } nobody)
        {
            throw Interactivity.NonInteractiveError(nobody, "The EdgePlane browser login",
                "-GrantId olg_... (the grant id of a login finished in a browser elsewhere), or a session saved beforehand in " + path,
                "Invoke-OidcCliLogin -BaseUrl <url> -GrantId olg_...");
        }
        var action = source.NeedsPerson ? $"Log in to EdgePlane at {baseUrl} in the browser and save the session" : $"Exchange the grant at {baseUrl} and save the session";
        return Task.FromResult(new EdgePlaneLoginPlan(path, action, async (confirmed, ct) =>
            confirmed ? await LoginAsync(request, baseUrl, path, source, ct).ConfigureAwait(false) : null));
    }

    /// <summary>Carries out <paramref name="plan"/>; not <paramref name="confirmed"/>, nothing is done and null comes back (a kept session is still reported).</summary>
    public Task<EdgePlaneLoginResult?> ExecuteAsync(EdgePlaneLoginPlan plan, bool confirmed, CancellationToken cancellationToken) =>
        plan.ExecuteAsync(confirmed, cancellationToken);

    private IEdgePlaneGrantSource GrantSource(EdgePlaneLoginRequest request) =>
        request.GrantId != null ? new GivenGrant(request.GrantId) : new BrowserGrant(_browser, request);

    private async Task<EdgePlaneLoginResult> LoginAsync(EdgePlaneLoginRequest request, Uri baseUrl, string path, IEdgePlaneGrantSource source, CancellationToken cancellationToken)
    {
        var flow = new CliLoginFlow(baseUrl, _context.Clock, _reporter) { MaxWait = request.LoginTimeout };
        var grantId = await source.GetGrantAsync(flow, _reporter, cancellationToken).ConfigureAwait(false);
        _reporter.Verbose("Exchanging the one-time grant for a session.");
        var session = await flow.ExchangeAsync(grantId, request.TtlHours, cancellationToken).ConfigureAwait(false);
        // Ctrl+C after the exchange must still leave the disk untouched.
        cancellationToken.ThrowIfCancellationRequested();
        session.Write(_context.Store, path);
        _reporter.Verbose($"Saved the EdgePlane session to '{path}' (owner-only).");
        _reporter.Information($"Logged in to {session.BaseUrl} as {session.Subject}{(session.Email != null ? " <" + session.Email + ">" : string.Empty)} until {TimeText.Of(session.ExpiresAt)}.");
        return new EdgePlaneLoginResult(session, path, kept: false);
    }
}

/// <summary>How the EdgePlane login gets its one-time grant. Adding a way is adding one class.</summary>
internal interface IEdgePlaneGrantSource
{
    /// <summary>True when a person must take part in a browser.</summary>
    bool NeedsPerson { get; }

    Task<string> GetGrantAsync(CliLoginFlow flow, IReporter reporter, CancellationToken cancellationToken);
}

/// <summary>-GrantId: a login finished in a browser elsewhere.</summary>
internal sealed class GivenGrant : IEdgePlaneGrantSource
{
    private readonly string _grantId;
    public GivenGrant(string grantId) => _grantId = grantId;
    public bool NeedsPerson => false;
    public Task<string> GetGrantAsync(CliLoginFlow flow, IReporter reporter, CancellationToken cancellationToken) => Task.FromResult(_grantId);
}

/// <summary>The browser prompt, then the grant polled for or, with -PromptForGrantId, typed by the person.</summary>
internal sealed class BrowserGrant : IEdgePlaneGrantSource
{
    private readonly IBrowserLauncher _browser;
    private readonly EdgePlaneLoginRequest _request;

    public BrowserGrant(IBrowserLauncher browser, EdgePlaneLoginRequest request)
    {
        _browser = browser;
        _request = request;
    }

    public bool NeedsPerson => true;

    public async Task<string> GetGrantAsync(CliLoginFlow flow, IReporter reporter, CancellationToken cancellationToken)
    {
        reporter.Verbose($"Starting the EdgePlane login at {flow.BaseUrl}.");
        var start = await flow.InitiateAsync(cancellationToken).ConfigureAwait(false);
        var service = $"EdgePlane at {EdgePlaneUrl.ToStored(flow.BaseUrl)}";
        new BrowserPrompt(_browser, reporter, _request.NoBrowser).Show(new BrowserPromptPage(service, start.AuthorizeUrl.AbsoluteUri) { ExpiresAt = start.ExpiresAt });
        try
        {
            if (_request.AskForGrantId is { } ask)
            {
                reporter.Information("After logging in, the success page shows a grant id (olg_...).");
                var typed = (await ask(cancellationToken).ConfigureAwait(false))?.Trim();
                cancellationToken.ThrowIfCancellationRequested();
                if (string.IsNullOrEmpty(typed))
                {
                    throw new NaraAuthException("EdgePlaneGrantMissing", NaraErrorCategory.InvalidArgument,
                        "No grant id was entered.", "Run Invoke-OidcCliLogin again, or pass -GrantId olg_...", "-GrantId");
                }
                return typed!;
            }
            return await flow.WaitForGrantAsync(start, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // docs/protocol.md 2.1 has no way to withdraw a started login: the nonce just expires.
            reporter.Information(BrowserPrompt.CancelledLine(service, pageCanStillFinish: true));
            throw;
        }
    }
}
