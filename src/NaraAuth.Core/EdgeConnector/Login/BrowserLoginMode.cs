using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>The default: the desktop login of docs/protocol.md 1.1, approved by a person in the browser.</summary>
internal sealed class BrowserLoginMode : IEdgeConnectorLoginMode
{
    public const string Service = "the Edge Connector";

    private const EdgeConnectorLoginMode Mode = EdgeConnectorLoginMode.Browser;

    public async Task<EdgeConnectorLoginPlan> PlanAsync(EdgeConnectorLoginSteps steps, CancellationToken cancellationToken)
    {
        var reuse = await steps.PlanReuseAsync(Mode, steps.Request.Organization, cancellationToken).ConfigureAwait(false);
        if (reuse != null) return reuse;
        if (steps.Request.NonInteractiveReason is { } why) throw Interactivity.NonInteractiveError(why);
        var action = $"Log in through the browser at {steps.Platform.BaseUrl} and save the token{steps.BundleClause}";
        return new EdgeConnectorLoginPlan(Mode, steps.Location.Path, action, async (confirmed, ct) =>
            confirmed ? await LoginAsync(steps, ct).ConfigureAwait(false) : null);
    }

    private async Task<EdgeConnectorLoginResult> LoginAsync(EdgeConnectorLoginSteps steps, CancellationToken cancellationToken)
    {
        var deviceId = DeviceIdentity.GetOrCreate(steps.Context.Environment, steps.Context.Store);
        // Polls handle 429 and Retry-After themselves (docs/protocol.md 1.1), so no automatic retries.
        var polling = new ApiClient(steps.Platform.BaseUrl, retry: new RetryOptions { MaxRetries = 0 }, reporter: steps.Reporter);
        var flow = new DesktopLoginFlow(polling, steps.Context.Clock, reporter: steps.Reporter);
        var start = await flow.StartAsync(steps.Context.Environment.MachineName, deviceId, cancellationToken).ConfigureAwait(false);

        new BrowserPrompt(steps.Browser, steps.Reporter, steps.Request.NoBrowser)
            .Show(new BrowserPromptPage(Service, start.Url) { Code = start.Code, ExpiresAt = start.ExpiresAt });

        string jwt;
        try
        {
            jwt = await flow.WaitForTokenAsync(start, steps.Request.LoginTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // docs/protocol.md 1.1 has no way to withdraw a started login: the code just expires.
            steps.Reporter.Information(BrowserPrompt.CancelledLine(Service, pageCanStillFinish: true));
            throw;
        }
        var validated = await steps.Onboarding.ValidateAsync(jwt, steps.Request.Organization, cancellationToken).ConfigureAwait(false);
        return await steps.SaveAndSyncAsync(validated, Mode, cancellationToken).ConfigureAwait(false);
    }
}
