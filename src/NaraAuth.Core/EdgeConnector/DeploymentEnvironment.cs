using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// The deployment settings in the environment and the one rule for which of them counts, as the
/// Edge Connector runtime reads them: the DEPLOYMENT_ID / DEPLOYMENT_SECRET pair before the
/// DEPLOYMENT_CREDENTIALS_PATH file. The login, the login-mode choice and the status inventory all
/// ask this class, so they can never disagree about which credential a machine uses.
/// </summary>
public sealed class DeploymentEnvironment
{
    private DeploymentEnvironment(string? id, string? secret, string? credentialsPath)
    {
        Id = id;
        Secret = secret;
        CredentialsPath = credentialsPath;
    }

    public static DeploymentEnvironment Read(IEnvironment environment) => new(
        environment.GetVariable(EnvironmentVariables.DeploymentId),
        environment.GetVariable(EnvironmentVariables.DeploymentSecret),
        environment.GetVariable(EnvironmentVariables.DeploymentCredentialsPath));

    public string? Id { get; }
    /// <summary>The secret. Never log or format this.</summary>
    public string? Secret { get; }
    /// <summary>The credentials file as the variable names it (relative to the current folder).</summary>
    public string? CredentialsPath { get; }

    /// <summary>True when any deployment variable is set, even half a pair: the runtime then logs in with deployment credentials.</summary>
    public bool AnySet => Choice != DeploymentEnvironmentChoice.None;

    public DeploymentEnvironmentChoice Choice =>
        Id != null || Secret != null ? DeploymentEnvironmentChoice.Pair
        : CredentialsPath != null ? DeploymentEnvironmentChoice.CredentialsFile
        : DeploymentEnvironmentChoice.None;

    /// <summary>The pair as credentials; half a pair names the variable that is missing.</summary>
    public DeploymentCredentials Pair()
    {
        if (Id != null && Secret != null)
            return new DeploymentCredentials(Id.Trim(), Secret, DeploymentCredentialSource.EnvironmentVariables);
        var missing = Id == null ? EnvironmentVariables.DeploymentId : EnvironmentVariables.DeploymentSecret;
        var present = Id == null ? EnvironmentVariables.DeploymentSecret : EnvironmentVariables.DeploymentId;
        throw new NaraAuthException("DeploymentEnvironmentIncomplete", NaraErrorCategory.InvalidArgument,
            $"{present} is set but {missing} is not; deployment credentials need both.",
            $"Set {missing} as well (or unset {present}), or use {EnvironmentVariables.DeploymentCredentialsPath}.", missing);
    }

    /// <summary>What a message says when nothing is set.</summary>
    public static string NoneSetText =>
        $"{EnvironmentVariables.DeploymentId} and {EnvironmentVariables.DeploymentSecret} are not set, nor {EnvironmentVariables.DeploymentCredentialsPath}";
}
