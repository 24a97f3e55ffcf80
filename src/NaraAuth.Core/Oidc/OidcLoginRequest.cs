using System;
using System.Collections.Generic;
using NaraAuth.Core.Browser;

namespace NaraAuth.Core.Oidc;

/// <summary>What Invoke-OidcCliLogin -Authority asks for, as the person typed it.</summary>
public sealed class OidcLoginRequest
{
    public OidcLoginRequest(IBrowserLauncher browser)
    {
        Browser = browser;
    }

    /// <summary>Opens the login page (the browser login's, or the device code's).</summary>
    public IBrowserLauncher Browser { get; }
    /// <summary>-Authority, else OIDC_ISSUER_URL.</summary>
    public string? Authority { get; set; }
    /// <summary>-ClientId, else OIDC_CLIENT_ID.</summary>
    public string? ClientId { get; set; }
    /// <summary>-Scopes, else OIDC_SCOPES, else the default scopes.</summary>
    public IEnumerable<string>? Scopes { get; set; }
    public bool UseDeviceCode { get; set; }
    public bool UseBrowser { get; set; }
    /// <summary>-NoBrowser: nothing is opened; the person opens the URL shown.</summary>
    public bool NoBrowser { get; set; }
    /// <summary>-Force: a new login even when the saved session would do.</summary>
    public bool Force { get; set; }
    /// <summary>-LoginTimeoutSec when given; null: the browser login's default, and the device code's own lifetime.</summary>
    public TimeSpan? LoginTimeout { get; set; }
    /// <summary>-MinimumValidity when given; null: <see cref="OidcLogin.ReuseMargin"/>.</summary>
    public TimeSpan? MinimumValidity { get; set; }
    /// <summary>Why no person can answer here (CI, -NonInteractive, no console input), or null.</summary>
    public string? NonInteractiveReason { get; set; }
}
