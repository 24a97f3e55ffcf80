using System;
using System.Management.Automation;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Browser;
using NaraAuth.Mapping;
using NaraAuth.Models;

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
        var login = OidcLogin.For(new OidcLoginRequest(new SystemBrowserLauncher(Context.Environment))
        {
            Authority = Authority,
            ClientId = ClientId,
            Scopes = Scopes,
            UseDeviceCode = UseDeviceCode,
            UseBrowser = UseBrowser,
            NoBrowser = NoBrowser,
            Force = Force,
            LoginTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(LoginTimeoutSec)) ? TimeSpan.FromSeconds(LoginTimeoutSec) : null,
            MinimumValidity = MinimumValidity,
            NonInteractiveReason = WhyNoPersonHere(),
        }, Context, Reporter);
        WorkingOn = login.Authority.ToString();
        if (!ShouldProcess(login.Path, login.Action)) return;
        var result = RunAsync(token => login.RunAsync(token));
        var tokens = result.Session.Tokens;
        if (AsPlainText)
        {
            if (tokens.IdToken != null) MaskSecretForCi(tokens.IdToken);
            if (tokens.AccessToken != null) MaskSecretForCi(tokens.AccessToken);
        }
        WriteObject(ModelMapping.ToInfo(result, AsPlainText));
    }
}
