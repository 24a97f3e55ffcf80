using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>-Token: a token file or the JWT itself, validated before anything is saved (docs/protocol.md 1.3, 1.4).</summary>
internal sealed class TokenLoginMode : IEdgeConnectorLoginMode
{
    private const EdgeConnectorLoginMode Mode = EdgeConnectorLoginMode.Token;

    public async Task<EdgeConnectorLoginPlan> PlanAsync(EdgeConnectorLoginSteps steps, CancellationToken cancellationToken)
    {
        var (jwt, sourceFile) = steps.Request.TokenFilePath != null
            ? TokenInput.Resolve(steps.Request.Token ?? string.Empty, steps.Request.TokenFilePath, steps.Context.Store)
            : TokenInput.Resolve(steps.Request.Token ?? string.Empty, steps.Context.CurrentDirectory, steps.Context.Store);
        steps.Reporter.Verbose(sourceFile != null ? $"Read the token from the file '{sourceFile}'." : "Using the token given as a raw JWT.");
        // Validated first (reads only), so bad input fails with its own error even when a good
        // token is already stored; then a stored token of the same organization is kept.
        var validated = await steps.Onboarding.ValidateHandedOverAsync(jwt, steps.Request.Organization, cancellationToken).ConfigureAwait(false);
        var reuse = await steps.PlanReuseAsync(Mode, validated.Jwt.Organization, cancellationToken).ConfigureAwait(false);
        if (reuse != null) return reuse;
        if (steps.Onboarding.ShortLifeWarning(validated, steps.Request.MinimumValidity, handedOver: true) is { } shortLife) steps.Reporter.Warning(shortLife);
        var action = $"Save the validated token for organization '{validated.Jwt.Organization}'{steps.BundleClause}, {steps.OwnerText}";
        return new EdgeConnectorLoginPlan(Mode, steps.Location.Path, action, async (confirmed, ct) =>
            confirmed ? await steps.SaveAndSyncAsync(validated, Mode, ct).ConfigureAwait(false) : null);
    }
}
