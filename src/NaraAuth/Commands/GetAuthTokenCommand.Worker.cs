using NaraAuth.Core.Config;
using System.Management.Automation;
using NaraAuth.Core.Worker;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Get-AuthToken -Worker: the NodeTool worker token (docs/protocol.md 3), resolved as the worker does.</summary>
[OutputType(typeof(WorkerTokenInfo), typeof(WorkerTokenPlainTextInfo), ParameterSetName = new[] { WorkerSet })]
public sealed partial class GetAuthTokenCommand
{
    private const string WorkerSet = "Worker";

    /// <summary>Select the NodeTool worker token: WORKER_AUTH_TOKEN, else the deployment.yaml config file.</summary>
    [Parameter(ParameterSetName = WorkerSet, Mandatory = true)]
    public SwitchParameter Worker { get; set; }

    /// <summary>With -Worker: when neither source has a token, generate one and save it to the config file (0600).</summary>
    [Parameter(ParameterSetName = WorkerSet)]
    public SwitchParameter Create { get; set; }

    private void ProcessWorkerToken()
    {
        var store = new WorkerTokenStore(Context.Environment, Context.Store, Context.CurrentDirectory);
        WriteVerbose($"Resolving the worker token: {EnvironmentVariables.WorkerAuthToken}, then '{store.ConfigPath}'.");
        var existing = Create ? TryResolveExisting(store) : store.Resolve(create: false);
        WorkerTokenResult result;
        if (existing != null)
        {
            result = existing;
        }
        else if (ShouldProcess(store.ConfigPath, "Generate a NodeTool worker token and save it"))
        {
            result = store.Resolve(create: true);
        }
        else
        {
            return;
        }
        if (result.PermissionWarning != null) WriteWarning(result.PermissionWarning);
        WriteVerbose($"The worker token comes from {result.Source}.");

        if (AsPlainText) MaskSecretForCi(result.Token);
        WriteObject(ModelMapping.ToInfo(result, AsPlainText));
    }

    private static WorkerTokenResult? TryResolveExisting(WorkerTokenStore store)
    {
        try
        {
            return store.Resolve(create: false);
        }
        catch (Core.Errors.NaraAuthException e) when (e.ErrorId == "WorkerTokenNotFound")
        {
            return null;
        }
    }
}
