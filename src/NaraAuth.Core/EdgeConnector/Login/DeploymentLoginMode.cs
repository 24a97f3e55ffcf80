using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>
/// Deployment credentials (parameters, DEPLOYMENT_ID/SECRET, DEPLOYMENT_CREDENTIALS_PATH), checked
/// with the runtime's WebSocket handshake (docs/protocol.md 1.2); saved only with -SaveCredentialsTo.
/// </summary>
internal sealed class DeploymentLoginMode : IEdgeConnectorLoginMode
{
    private const EdgeConnectorLoginMode Mode = EdgeConnectorLoginMode.Deployment;

    public async Task<EdgeConnectorLoginPlan> PlanAsync(EdgeConnectorLoginSteps steps, CancellationToken cancellationToken)
    {
        var request = steps.Request;
        var credentials = DeploymentCredentials.Resolve(request.DeploymentId, request.DeploymentSecret, steps.Context.Environment, steps.Context.CurrentDirectory, steps.Context.Store);
        steps.Reporter.Verbose($"Verifying deployment '{credentials.DeploymentId}' (from {credentials.Source}) with the WebSocket handshake at {steps.Platform.BaseUrl}.");
        await new EdgeConnectorSocket(steps.Platform).VerifyAsync(credentials, cancellationToken).ConfigureAwait(false);

        EdgeConnectorLoginResult Verified(string? savedTo) =>
            new(Mode, EdgeConnectorLoginStatus.Verified, steps.Platform.BaseUrl) { Deployment = credentials, CredentialsSavedTo = savedTo };

        if (request.SaveCredentialsTo == null)
        {
            return new EdgeConnectorLoginPlan(Mode, credentials.FilePath ?? credentials.DeploymentId, null, (_, _) =>
            {
                if (steps.Owner != null)
                    steps.Reporter.Warning("-RuntimeAccount names the owner of files this command writes; without -SaveCredentialsTo nothing is written.");
                return Task.FromResult<EdgeConnectorLoginResult?>(Verified(null));
            });
        }
        var path = Path.GetFullPath(Path.Combine(steps.Context.CurrentDirectory, request.SaveCredentialsTo));
        var action = $"Save the credentials of deployment '{credentials.DeploymentId}' ({steps.OwnerText})";
        return new EdgeConnectorLoginPlan(Mode, path, action, (confirmed, cancellationToken) =>
        {
            if (!confirmed) return Task.FromResult<EdgeConnectorLoginResult?>(null);
            cancellationToken.ThrowIfCancellationRequested();
            credentials.Save(steps.Context.Store, path, request.Force, steps.Owner);
            steps.WarnIfUnreachable(path);
            return Task.FromResult<EdgeConnectorLoginResult?>(Verified(path));
        });
    }
}
