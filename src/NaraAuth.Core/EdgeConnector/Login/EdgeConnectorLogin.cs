using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>
/// Connect-EdgeConnector as one use case: <see cref="PlanAsync"/> chooses the mode and finds out,
/// by reading only, what the login would change (a stored token may already do the job); the
/// caller asks the person about the plan's action (-WhatIf, -Confirm); <see cref="ExecuteAsync"/>
/// logs in, saves and syncs. Each mode is one <see cref="IEdgeConnectorLoginMode"/>.
/// </summary>
public sealed class EdgeConnectorLogin
{
    private readonly CoreContext _context;
    private readonly IReporter _reporter;
    private readonly IBrowserLauncher _browser;

    /// <param name="browser">Opens the approval page: the system browser (<see cref="SystemBrowserLauncher"/>).</param>
    public EdgeConnectorLogin(CoreContext context, IReporter reporter, IBrowserLauncher browser)
    {
        _context = context;
        _reporter = reporter;
        _browser = browser;
    }

    /// <summary>Where the token of <paramref name="request"/> goes: what an error that names no file of its own concerns.</summary>
    public string TokenPath(EdgeConnectorLoginRequest request) =>
        Tokens.TokenLocation.Resolve(_context.Environment, request.TokenPath, request.InstallPath, _context.CurrentDirectory).Path;

    /// <summary>Chooses the mode, resolves where things go, and reads what is already there; writes nothing.</summary>
    public Task<EdgeConnectorLoginPlan> PlanAsync(EdgeConnectorLoginRequest request, CancellationToken cancellationToken)
    {
        var mode = EdgeConnectorLoginModes.Choose(request.RequestedMode, request.BrowserOptionGiven, _context.Environment);
        if (mode != request.RequestedMode) _reporter.Verbose(EdgeConnectorLoginModes.DeploymentFromEnvironmentNote);
        var steps = new EdgeConnectorLoginSteps(_context, request, _reporter, _browser);
        return ModeFor(mode).PlanAsync(steps, cancellationToken);
    }

    /// <summary>
    /// Carries out <paramref name="plan"/>. Not <paramref name="confirmed"/> (-WhatIf, or the
    /// person said no): nothing is written and null comes back, except that a kept token is still
    /// reported (without giving its files to -RuntimeAccount).
    /// </summary>
    public Task<EdgeConnectorLoginResult?> ExecuteAsync(EdgeConnectorLoginPlan plan, bool confirmed, CancellationToken cancellationToken) =>
        plan.ExecuteAsync(confirmed, cancellationToken);

    private static IEdgeConnectorLoginMode ModeFor(EdgeConnectorLoginMode mode) => mode switch
    {
        EdgeConnectorLoginMode.Deployment => new DeploymentLoginMode(),
        EdgeConnectorLoginMode.Token => new TokenLoginMode(),
        _ => new BrowserLoginMode(),
    };
}
