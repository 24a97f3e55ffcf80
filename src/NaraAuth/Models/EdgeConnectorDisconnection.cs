namespace NaraAuth.Models;

/// <summary>
/// What Disconnect-EdgeConnector removed (-PassThru): the file paths and whether each was
/// removed. Never holds a secret.
/// </summary>
public sealed class EdgeConnectorDisconnection
{
    /// <summary>Disconnected (something was removed), NotConnected (nothing to remove) or WhatIf (-WhatIf or a declined confirmation).</summary>
    public DisconnectStatus Status { get; internal set; }
    public string TokenPath { get; internal set; } = string.Empty;
    public bool TokenRemoved { get; internal set; }
    public string BundlePath { get; internal set; } = string.Empty;
    public bool BundleRemoved { get; internal set; }
    /// <summary>The -DeploymentCredentialsPath file, when one was given.</summary>
    public string? CredentialsPath { get; internal set; }
    public bool CredentialsRemoved { get; internal set; }
    /// <summary>Every file removed by this call (empty when there was nothing to remove).</summary>
    public string[] Removed { get; internal set; } = new string[0];

    public override string ToString() => $"{Status}: {Removed.Length} file(s) removed ({TokenPath})";
}
