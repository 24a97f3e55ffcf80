using System;
using System.Management.Automation;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Browser;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;
using NaraAuth.Core.Text;

namespace NaraAuth.Commands;

/// <summary>Invoke-OidcCliLogin -Authority/-ClientId/-UseDeviceCode: direct OIDC against the identity provider (docs/protocol.md 2.3).</summary>
[OutputType(typeof(OidcSessionInfo), typeof(OidcSessionPlainTextInfo), ParameterSetName = new[] { DirectSet })]
public sealed partial class InvokeOidcCliLoginCommand
{
    private const string DirectSet = "Direct";

    /// <summary>The identity provider's issuer URL (else OIDC_ISSUER_URL).</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [Alias("Issuer")]
    [ValidateNotNullOrEmpty]
    public string? Authority { get; set; }

    /// <summary>The public client id registered at the provider (else OIDC_CLIENT_ID).</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    /// <summary>Scopes to ask for (else OIDC_SCOPES, else "openid profile email offline_access").</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Scopes { get; set; }

    /// <summary>Use the device authorization grant: show a code to enter on another device.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    public SwitchParameter UseDeviceCode { get; set; }

    /// <summary>Insist on the browser: fail instead of falling back to a device code when no browser can be opened.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    public SwitchParameter UseBrowser { get; set; }

    private void LoginDirect()
    {
        if (UseDeviceCode && UseBrowser)
        {
            throw new Core.Errors.NaraAuthException("OidcModeConflict", Core.Errors.NaraErrorCategory.InvalidArgument,
                "-UseDeviceCode and -UseBrowser ask for two different logins.", "Pass one of them (without either, the browser is tried first).", "-UseDeviceCode");
        }
        var settings = OidcSettings.Resolve(Authority, ClientId, Scopes, Context.Environment);
        WorkingOn = settings.Authority.ToString();
        var login = new OidcLogin(Context, settings, Reporter)
        {
            MinimumValidity = MinimumValidity ?? OidcLogin.ReuseMargin,
            // Given, it bounds the device code wait too; else the code's own lifetime, within Core's limit.
            DeviceCodeMaxWait = MyInvocation.BoundParameters.ContainsKey(nameof(LoginTimeoutSec)) ? TimeSpan.FromSeconds(LoginTimeoutSec) : null,
        };
        if (!ShouldProcess(login.Path, $"Log in to {settings.Authority} as client '{settings.ClientId}' (or reuse the saved session) and save the session")) return;
        OidcLoginResult result;
        if (UseDeviceCode)
        {
            result = RunAsync(token => login.LoginWithDeviceCodeAsync(Force, token));
        }
        else
        {
            IBrowserLauncher browser = NoBrowser ? new PrintingBrowser() : new SystemBrowserLauncher(Context.Environment);
            var options = new BrowserLoginOptions(browser)
            {
                LoginTimeout = TimeSpan.FromSeconds(LoginTimeoutSec),
                BrowserChosen = UseBrowser || NoBrowser,
                PrintUrlOnly = NoBrowser,
                NonInteractiveReason = WhyNoPersonHere(),
            };
            result = RunAsync(token => login.LoginInteractiveAsync(Force, options, token));
        }

        var session = result.Session;
        WriteHostLine($"Logged in to {session.Issuer} as {OidcLogin.Describe(session.Identity)} until {TimeText.Of(session.ExpiresAt)} ({result.Source}).");
        var tokens = session.Tokens;
        if (AsPlainText)
        {
            MaskSecretForCi(tokens.IdToken);
            if (tokens.AccessToken != null) MaskSecretForCi(tokens.AccessToken);
        }
        WriteObject(ModelMapping.ToInfo(result, AsPlainText));
    }

    /// <summary>-NoBrowser for the interactive mode: the URL is shown instead of opened.</summary>
    private sealed class PrintingBrowser : IBrowserLauncher
    {
        public BrowserLaunchResult Open(string url) => BrowserLaunchResult.Success("the printed URL");
    }
}
