using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.EdgeConnector;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>How Connect-EdgeConnector logs in.</summary>
public enum EdgeConnectorLoginMode
{
    Browser,
    Token,
    Deployment,
}

/// <summary>
/// Which login Connect-EdgeConnector runs. A chosen token or deployment login is kept. With no
/// mode chosen, any deployment setting in the environment wins, as in the Edge Connector runtime
/// (docs/protocol.md 1.2), unless a browser-only option (-NoBrowser, -LoginTimeoutSec) asks for the
/// browser. Half a pair still chooses deployment, so its own error says what is missing.
/// </summary>
public static class EdgeConnectorLoginModes
{
    public const string DeploymentFromEnvironmentNote =
        "Deployment credentials are configured in the environment, so they are used (as the Edge Connector runtime does).";

    public static EdgeConnectorLoginMode Choose(EdgeConnectorLoginMode requested, bool browserOptionGiven, IEnvironment environment)
    {
        if (requested != EdgeConnectorLoginMode.Browser) return requested;
        return DeploymentConfigured(environment) && !browserOptionGiven ? EdgeConnectorLoginMode.Deployment : EdgeConnectorLoginMode.Browser;
    }

    /// <summary>True when any deployment variable is set (<see cref="DeploymentEnvironment.AnySet"/>).</summary>
    public static bool DeploymentConfigured(IEnvironment environment) => DeploymentEnvironment.Read(environment).AnySet;
}
