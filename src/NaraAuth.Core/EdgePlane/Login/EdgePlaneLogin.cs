using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Text;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.EdgePlane.Login;

/// <summary>
/// The EdgePlane CLI login (docs/protocol.md 2.1) as one use case: <see cref="PlanAsync"/> keeps a
/// saved session that does the job or says what the login will do; <see cref="ExecuteAsync"/> gets a
/// grant (given, typed by the person, or polled for after the browser prompt), exchanges it and
/// saves the session. How the grant is got is one <see cref="IEdgePlaneGrantSource"/>.
/// </summary>
public sealed class EdgePlaneLogin
{
    public const string ServiceName = "EdgePlane";
    private readonly CoreContext _context;
    private readonly IReporter _reporter;
    private readonly IBrowserLauncher _browser;

    public EdgePlaneLogin(CoreContext context, IReporter reporter, IBrowserLauncher? browser = null)
    {
        _context = context;
        _reporter = reporter;
        _browser = browser ?? new SystemBrowserLauncher(context.Environment);
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

