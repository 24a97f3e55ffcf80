using System.Collections.Generic;

namespace NaraAuth.Core.Config;

/// <summary>
/// Every environment variable the module reads, named once. Code reads a variable through these
/// names only, and the test suites clear or isolate exactly <see cref="All"/>, so a developer's own
/// credentials named by any of them can never be read or overwritten by a test run.
/// </summary>
public static class EnvironmentVariables
{
    // The nara platform and the Edge Connector.
    public const string NaraBaseUrl = "NARA_BASE_URL";
    public const string NaraToken = "NARA_TOKEN";
    public const string AuthTokenPath = "AUTH_TOKEN_PATH";
    public const string EdgeConnectorHome = "EDGE_CONNECTOR_HOME";
    public const string DeploymentId = "DEPLOYMENT_ID";
    public const string DeploymentSecret = "DEPLOYMENT_SECRET";
    public const string DeploymentCredentialsPath = "DEPLOYMENT_CREDENTIALS_PATH";

    // EdgePlane and direct OpenID Connect.
    public const string EdgePlaneBaseUrl = "EP_BASE_URL";
    /// <summary>An EdgePlane credential for a pipeline: a service-account token (mcs_sa_...) in a secret variable.</summary>
    public const string EdgePlaneToken = "EP_TOKEN";
    public const string OidcIssuerUrl = "OIDC_ISSUER_URL";
    public const string OidcClientId = "OIDC_CLIENT_ID";
    public const string OidcScopes = "OIDC_SCOPES";

    // The NodeTool worker.
    public const string WorkerAuthToken = "WORKER_AUTH_TOKEN";
    public const string NodeToolConfigPath = "NODETOOL_CONFIG_PATH";

    // CI systems: where secrets are masked, and where no person can answer.
    public const string Ci = "CI";
    public const string AzurePipelines = "TF_BUILD";
    public const string GitHubActions = "GITHUB_ACTIONS";

    // Where the user's files live, and whether a browser can open.
    public const string Home = "HOME";
    public const string UserProfile = "USERPROFILE";
    public const string AppData = "APPDATA";
    public const string LocalAppData = "LOCALAPPDATA";
    public const string XdgConfigHome = "XDG_CONFIG_HOME";
    public const string Browser = "BROWSER";
    public const string Display = "DISPLAY";
    public const string WaylandDisplay = "WAYLAND_DISPLAY";
    public const string Path = "PATH";

    /// <summary>Variables that hold a secret: redacted from server text wherever they appear.</summary>
    public static IReadOnlyList<string> Secrets { get; } = new[] { NaraToken, DeploymentSecret, WorkerAuthToken, EdgePlaneToken };

    /// <summary>Variables that name a credential, a credential's file or where one is sent: a test run clears or isolates every one.</summary>
    public static IReadOnlyList<string> Credentials { get; } = new[]
    {
        NaraBaseUrl, NaraToken, AuthTokenPath, EdgeConnectorHome, DeploymentId, DeploymentSecret,
        DeploymentCredentialsPath, EdgePlaneBaseUrl, EdgePlaneToken, OidcIssuerUrl, OidcClientId, OidcScopes,
        WorkerAuthToken, NodeToolConfigPath,
    };

    /// <summary>Every variable the module reads.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        NaraBaseUrl, NaraToken, AuthTokenPath, EdgeConnectorHome, DeploymentId, DeploymentSecret,
        DeploymentCredentialsPath, EdgePlaneBaseUrl, EdgePlaneToken, OidcIssuerUrl, OidcClientId, OidcScopes,
        WorkerAuthToken, NodeToolConfigPath, Ci, AzurePipelines, GitHubActions, Home, UserProfile,
        AppData, LocalAppData, XdgConfigHome, Browser, Display, WaylandDisplay, Path,
    };
}
