namespace NaraAuth.Models;

/// <summary>How Connect-EdgeConnector logged in.</summary>
public enum EdgeConnectorMode
{
    /// <summary>The browser code login.</summary>
    Browser,
    /// <summary>A token file or the JWT itself.</summary>
    Token,
    /// <summary>Deployment credentials, verified by the WebSocket handshake.</summary>
    Deployment,
}

/// <summary>What Connect-EdgeConnector did.</summary>
public enum EdgeConnectorStatus
{
    /// <summary>A new credential was verified and saved.</summary>
    Connected,
    /// <summary>The stored credential was still good; nothing was changed.</summary>
    AlreadyConnected,
    /// <summary>Deployment credentials were accepted by the platform.</summary>
    Verified,
}

/// <summary>What a Disconnect- cmdlet did (Disconnect-EdgeConnector, Disconnect-EdgePlane, Disconnect-OidcSession).</summary>
public enum DisconnectStatus
{
    /// <summary>Something was removed.</summary>
    Disconnected,
    /// <summary>There was nothing to remove.</summary>
    NotConnected,
    /// <summary>-WhatIf, or a declined confirmation: nothing was removed.</summary>
    WhatIf,
}

/// <summary>Where deployment credentials came from.</summary>
public enum DeploymentCredentialSource
{
    /// <summary>-DeploymentId and -DeploymentSecret.</summary>
    Parameters,
    /// <summary>DEPLOYMENT_ID and DEPLOYMENT_SECRET.</summary>
    EnvironmentVariables,
    /// <summary>The file DEPLOYMENT_CREDENTIALS_PATH names.</summary>
    CredentialsFile,
}
