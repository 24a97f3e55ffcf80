
namespace NaraAuth.Core.EdgeConnector;

/// <summary>Which deployment setting in the environment is used (docs/protocol.md 1.2).</summary>
public enum DeploymentEnvironmentChoice
{
    /// <summary>No deployment variable is set.</summary>
    None,
    /// <summary>DEPLOYMENT_ID or DEPLOYMENT_SECRET is set: the pair wins, and half a pair is an error of its own.</summary>
    Pair,
    /// <summary>Only DEPLOYMENT_CREDENTIALS_PATH is set.</summary>
    CredentialsFile,
}
