namespace NaraAuth.Models;

/// <summary>Which rule chose the Edge Connector token file (docs/protocol.md 1.4).</summary>
public enum TokenFileSource
{
    /// <summary>-Path.</summary>
    Parameter,
    /// <summary>AUTH_TOKEN_PATH.</summary>
    EnvironmentVariable,
    /// <summary>authTokenPath in the installation's config.json.</summary>
    ConfigFile,
    /// <summary>auth-token.json in -InstallPath.</summary>
    InstallPath,
    /// <summary>auth-token.json in EDGE_CONNECTOR_HOME.</summary>
    EdgeConnectorHome,
    /// <summary>auth-token.json in the per-user folder (~/.config/naraauth/edge-connector, %LOCALAPPDATA%\naraauth\edge-connector).</summary>
    UserFolder,
}

/// <summary>Where the NodeTool worker token came from (docs/protocol.md 3).</summary>
public enum WorkerTokenSource
{
    /// <summary>WORKER_AUTH_TOKEN.</summary>
    Environment,
    /// <summary>worker_auth_token in the worker's config file.</summary>
    ConfigFile,
}

/// <summary>How a direct OIDC login was satisfied.</summary>
public enum OidcLoginSource
{
    /// <summary>The saved session was still valid.</summary>
    Saved,
    /// <summary>The saved refresh token got new tokens without the person.</summary>
    Refreshed,
    /// <summary>A device code the person entered.</summary>
    DeviceCode,
    /// <summary>The browser login (PKCE).</summary>
    Interactive,
    /// <summary>A new access token for the client itself (client credentials grant, no person).</summary>
    ClientCredentials,
}
