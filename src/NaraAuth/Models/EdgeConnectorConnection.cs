using System;
using NaraAuth.Core.Text;

namespace NaraAuth.Models;

/// <summary>
/// What Connect-EdgeConnector did: who is connected, for which organization, until when, and
/// which files hold the credential. Never holds a secret.
/// </summary>
public sealed class EdgeConnectorConnection
{
    public EdgeConnectorMode Mode { get; internal set; }
    /// <summary>Connected (a new credential was verified and saved), AlreadyConnected (nothing was needed) or Verified (deployment credentials accepted).</summary>
    public EdgeConnectorStatus Status { get; internal set; }
    public string? Organization { get; internal set; }
    public string? OrganizationName { get; internal set; }
    public string? Subject { get; internal set; }
    public string? Email { get; internal set; }
    public string? Role { get; internal set; }
    public DateTimeOffset? ExpiresOn { get; internal set; }
    /// <summary>The token file (token modes).</summary>
    public string? TokenPath { get; internal set; }
    /// <summary>The deployment (deployment mode).</summary>
    public string? DeploymentId { get; internal set; }
    /// <summary>Where the deployment credentials came from (deployment mode).</summary>
    public DeploymentCredentialSource? CredentialSource { get; internal set; }
    /// <summary>The credentials file written by -SaveCredentialsTo.</summary>
    public string? CredentialsPath { get; internal set; }
    /// <summary>default-bundle.json beside the token, when it was synced.</summary>
    public string? BundlePath { get; internal set; }
    /// <summary>True when the token's signature was checked against the platform's keys.</summary>
    public bool SignatureVerified { get; internal set; }
    public string BaseUrl { get; internal set; } = string.Empty;

    public override string ToString() => Mode == EdgeConnectorMode.Deployment
        ? $"Deployment {DeploymentId} ({Status})"
        : $"{Subject} @ {Organization} ({Status}, expires {TimeText.Of(ExpiresOn)})";
}
