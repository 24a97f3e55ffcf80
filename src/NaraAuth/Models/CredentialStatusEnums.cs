namespace NaraAuth.Models;

/// <summary>The kinds of credential Get-NaraAuthStatus reports.</summary>
public enum CredentialKind
{
    /// <summary>The Edge Connector token file (auth-token.json).</summary>
    EdgeConnectorToken,
    /// <summary>The default bundle beside the token (default-bundle.json).</summary>
    EdgeConnectorBundle,
    /// <summary>DEPLOYMENT_ID and DEPLOYMENT_SECRET, or the DEPLOYMENT_CREDENTIALS_PATH file.</summary>
    DeploymentCredentials,
    /// <summary>The EdgePlane session (~/.edgeplane/session.json).</summary>
    EdgePlaneSession,
    /// <summary>A direct OIDC login saved by Invoke-OidcCliLogin.</summary>
    OidcSession,
    /// <summary>The NodeTool worker token (WORKER_AUTH_TOKEN or deployment.yaml).</summary>
    WorkerToken,
    /// <summary>A server token of the organization older than Get-NaraAuthStatus -RotationAge (listed with the platform credential).</summary>
    ServerToken,
}

/// <summary>What a credential is good for right now; the worst that applies.</summary>
public enum CredentialState
{
    /// <summary>Present, readable, owner-only, not expired (with -Verify: accepted online).</summary>
    Valid,
    /// <summary>Its expiry has passed.</summary>
    Expired,
    /// <summary>Nothing is stored where NaraAuth looks.</summary>
    Missing,
    /// <summary>Other users could read or replace the file.</summary>
    Unprotected,
    /// <summary>The file cannot be read or is not what it should be.</summary>
    Invalid,
    /// <summary>-Verify: the server refused it.</summary>
    Rejected,
    /// <summary>-Verify: the server could not be asked.</summary>
    Unverified,
}
