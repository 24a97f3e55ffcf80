namespace NaraAuth.Core.Status;

/// <summary>The kinds of credential NaraAuth knows on a machine (docs/protocol.md 1 to 3).</summary>
public enum CredentialKind
{
    /// <summary>The Edge Connector token file (auth-token.json).</summary>
    EdgeConnectorToken,
    /// <summary>The default bundle beside the token (default-bundle.json).</summary>
    EdgeConnectorBundle,
    /// <summary>Deployment credentials: DEPLOYMENT_ID and DEPLOYMENT_SECRET, or the DEPLOYMENT_CREDENTIALS_PATH file.</summary>
    DeploymentCredentials,
    /// <summary>The EdgePlane session (~/.edgeplane/session.json).</summary>
    EdgePlaneSession,
    /// <summary>A direct OIDC login saved by Invoke-OidcCliLogin -Authority.</summary>
    OidcSession,
    /// <summary>The NodeTool worker token: WORKER_AUTH_TOKEN or deployment.yaml.</summary>
    WorkerToken,
    /// <summary>A server token of the organization older than Get-NaraAuthStatus -RotationAge (listed with the platform credential).</summary>
    ServerToken,
}

