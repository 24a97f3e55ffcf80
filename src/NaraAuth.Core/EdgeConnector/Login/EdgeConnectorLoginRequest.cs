using System;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>What Connect-EdgeConnector was asked: its parameters, as plain values.</summary>
public sealed class EdgeConnectorLoginRequest
{
    /// <summary>The mode the parameter set names; the environment may still choose deployment (see <see cref="EdgeConnectorLoginModes"/>).</summary>
    public EdgeConnectorLoginMode RequestedMode { get; set; } = EdgeConnectorLoginMode.Browser;
    /// <summary>-NoBrowser or -LoginTimeoutSec was given: the browser was asked for by name.</summary>
    public bool BrowserOptionGiven { get; set; }

    /// <summary>Token mode: a token file's path or the JWT itself. Holds a secret.</summary>
    public string? Token { get; set; }
    /// <summary>
    /// The file system path a -Token value names as the caller's shell reads it ('~', drives, its
    /// current location), or null when it names none; null here: relative to the current folder.
    /// </summary>
    public Func<string, string?>? TokenFilePath { get; set; }
    public string? Organization { get; set; }
    public bool NoBrowser { get; set; }
    /// <summary>Browser mode: the longest wait for the person (-LoginTimeoutSec); null for the code's own lifetime within Core's limit.</summary>
    public TimeSpan? LoginTimeout { get; set; }
    /// <summary>Why no person can answer a browser login here (CI, -NonInteractive), or null.</summary>
    public string? NonInteractiveReason { get; set; }

    /// <summary>Full file system paths: the caller resolves them as its shell reads paths.</summary>
    public string? TokenPath { get; set; }
    public string? InstallPath { get; set; }
    public string? BaseUrl { get; set; }
    public bool SkipBundleSync { get; set; }
    public TimeSpan MinimumValidity { get; set; } = TimeSpan.FromHours(1);
    public bool Force { get; set; }

    /// <summary>The account the Edge Connector runs as, when another account writes its files.</summary>
    public string? RuntimeAccount { get; set; }
    public bool AllowAdministrators { get; set; }

    public string? DeploymentId { get; set; }
    /// <summary>Holds a secret.</summary>
    public string? DeploymentSecret { get; set; }
    /// <summary>Deployment mode: write the verified credentials here for a runtime started later.</summary>
    public string? SaveCredentialsTo { get; set; }
}
