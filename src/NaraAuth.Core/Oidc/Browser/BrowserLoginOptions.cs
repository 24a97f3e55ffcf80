using System;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Oidc;

namespace NaraAuth.Core.Oidc.Browser;

/// <summary>How the person is asked in an interactive (browser, PKCE) login; what the console shows goes to the login's reporter.</summary>
public sealed class BrowserLoginOptions
{
    public const int DefaultTimeoutSeconds = 600;

    public BrowserLoginOptions(IBrowserLauncher browser)
    {
        Browser = browser;
    }

    public IBrowserLauncher Browser { get; }
    /// <summary>The login's time limit (-LoginTimeoutSec): how long to wait for the provider's answer on the loopback listener.</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);
    /// <summary>The person chose the browser: no fall back to a device code when none can be opened.</summary>
    public bool BrowserChosen { get; set; }
    /// <summary>Why no person can answer here (CI, -NonInteractive, no console input), or null.</summary>
    public string? NonInteractiveReason { get; set; }
    /// <summary>-NoBrowser: nothing is opened; the person is told to open the URL themselves.</summary>
    public bool PrintUrlOnly { get; set; }

    public NaraAuth.Core.Errors.NaraAuthException NotInteractive(string why) =>
        Interactivity.NonInteractiveError(why, "A browser login",
            "-UseDeviceCode (the code is shown for a person to enter on any device), or a session saved beforehand that is refreshed silently",
            "Invoke-OidcCliLogin -Authority <issuer> -ClientId <client> -UseDeviceCode");
}

