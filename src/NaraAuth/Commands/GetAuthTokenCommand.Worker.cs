using NaraAuth.Core.Config;
using System.Management.Automation;
using NaraAuth.Core.Worker;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Get-AuthToken -Worker: the NodeTool worker token (docs/protocol.md 3), resolved as the worker
/// does. Reading only: Reset-WorkerToken writes a token (docs/decisions/api-keys-and-worker-token.md).
/// </summary>
[OutputType(typeof(WorkerTokenInfo), typeof(WorkerTokenPlainTextInfo), ParameterSetName = new[] { WorkerSet })]
public sealed partial class GetAuthTokenCommand
{
    private const string WorkerSet = "Worker";

    /// <summary>Select the NodeTool worker token: WORKER_AUTH_TOKEN, else the deployment.yaml config file.</summary>
    [Parameter(ParameterSetName = WorkerSet, Mandatory = true)]
    public SwitchParameter Worker { get; set; }

    private void ProcessWorkerToken()
    {
        var store = new WorkerTokenStore(Context.Environment, Context.Store, Context.CurrentDirectory);
        WriteVerbose($"Resolving the worker token: {EnvironmentVariables.WorkerAuthToken}, then '{store.ConfigPath}'.");
        var result = store.Resolve();
        WriteVerbose($"The worker token comes from {result.Source}.");

        if (AsPlainText) MaskSecretForCi(result.Token);
        WriteObject(ModelMapping.ToInfo(result, AsPlainText));
    }
}
