using NaraAuth.Core.Text;
using System;
using System.Management.Automation;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Browser;
using NaraAuth.Infrastructure;
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

    private const int DirectProgressId = 2;

    private void LoginDirect()
    {
        if (UseDeviceCode && UseBrowser)
        {
            throw new Core.Errors.NaraAuthException("OidcModeConflict", Core.Errors.NaraErrorCategory.InvalidArgument,
                "-UseDeviceCode and -UseBrowser ask for two different logins.", "Pass one of them (without either, the browser is tried first).", "-UseDeviceCode");
        }
        var settings = OidcSettings.Resolve(Authority, ClientId, Scopes, Context.Environment);
        WorkingOn = settings.Authority.ToString();
        var login = new OidcLogin(Context, settings) { MinimumValidity = MinimumValidity ?? OidcLogin.ReuseMargin };
        if (!ShouldProcess(login.Path, $"Log in to {settings.Authority} as client '{settings.ClientId}' (or reuse the saved session) and save the session")) return;
        OidcLoginResult result;
        try
        {
            result = RunAsync((pump, token) =>
            {
                login.Note += note => pump.Post(() => WriteVerbose(note));
                login.Warning += warning => pump.Post(() => WriteWarning(warning));
                void ShowCode(DeviceCodePrompt prompt) => pump.Post(() => ShowDeviceCode(prompt));
                void CodeWait(TimeSpan left, TimeSpan total) => pump.Post(() => WriteProgress(CountDown(DirectProgressId, "OIDC device login", "Waiting for the code to be entered", left, total)));
                if (UseDeviceCode) return login.LoginWithDeviceCodeAsync(Force, ShowCode, CodeWait, token);

                IBrowserLauncher browser = NoBrowser ? new PrintingBrowser() : new SystemBrowserLauncher(Context.Environment);
                var options = new BrowserLoginOptions(browser)
                {
                    Timeout = TimeSpan.FromSeconds(TimeoutSec),
                    BrowserChosen = UseBrowser || NoBrowser,
                    NonInteractiveReason = WhyNoPersonHere(),
                    Opened = (url, how) => pump.Post(() => ShowBrowserOpened(url, how)),
                    OnWait = (left, total) => pump.Post(() => WriteProgress(CountDown(DirectProgressId, "OIDC browser login", "Waiting for the login in the browser", left, total))),
                    ShowDeviceCode = ShowCode,
                    OnDeviceCodeWait = CodeWait,
                };
                return login.LoginInteractiveAsync(Force, options, token);
            });
        }
        finally
        {
            WriteProgress(new ProgressRecord(DirectProgressId, "OIDC login", "Done") { RecordType = ProgressRecordType.Completed });
        }

        var session = result.Session;
        WriteHostLine($"Logged in to {session.Issuer} as {OidcLogin.Describe(session.Identity)} until {session.ExpiresAt:u} ({result.Source}).");
        var tokens = session.Tokens;
        OidcSessionInfoBase info;
        if (AsPlainText)
        {
            MaskSecretForCi(tokens.IdToken);
            if (tokens.AccessToken != null) MaskSecretForCi(tokens.AccessToken);
            info = new OidcSessionPlainTextInfo { IdToken = tokens.IdToken, AccessToken = tokens.AccessToken };
        }
        else
        {
            info = new OidcSessionInfo
            {
                IdToken = SecretText.ToSecureString(tokens.IdToken),
                AccessToken = tokens.AccessToken == null ? null : SecretText.ToSecureString(tokens.AccessToken),
            };
        }
        info.Subject = session.Identity.Subject;
        info.Email = session.Identity.Email;
        info.Name = session.Identity.Name;
        info.ExpiresOn = session.ExpiresAt?.ToUniversalTime();
        info.IdTokenExpiresOn = session.Identity.ExpiresAt?.ToUniversalTime();
        info.AccessTokenExpiresOn = tokens.AccessTokenExpiresAt?.ToUniversalTime();
        info.Issuer = session.Issuer;
        info.ClientId = session.ClientId;
        info.Scope = session.Scope;
        info.Source = ModelEnum.From<Models.OidcLoginSource>(result.Source);
        info.Path = result.Path;
        WriteObject(info);
    }

    /// <summary>Said once, on the host: where the login happens, the way in by hand, and how long it may take.</summary>
    private void ShowBrowserOpened(Uri url, string how)
    {
        if (NoBrowser)
        {
            WriteHostLine($"To log in, open this URL in a browser on this machine: {url.AbsoluteUri}");
        }
        else
        {
            WriteHostLine($"A browser was opened at {url.Host} for the login ({how}).");
            WriteHostLine($"If no browser window appeared, open this URL by hand on this machine: {url.AbsoluteUri}");
        }
        WriteHostLine($"Waiting up to {DurationText.Clock(TimeSpan.FromSeconds(TimeoutSec))} for the login to finish in the browser; Ctrl+C stops.");
    }

    /// <summary>The code and where to enter it go to the host, never the output stream, so $s = ... still shows them.</summary>
    private void ShowDeviceCode(DeviceCodePrompt prompt)
    {
        WriteHostLine($"To sign in, open {prompt.VerificationUri.AbsoluteUri} on any device and enter the code {prompt.UserCode}");
        if (prompt.VerificationUriComplete != null)
            WriteHostLine($"Or open this link, which already contains the code: {prompt.VerificationUriComplete.AbsoluteUri}");
        WriteHostLine($"The code expires at {prompt.ExpiresAt:u}.");
    }

    private static ProgressRecord CountDown(int id, string activity, string what, TimeSpan left, TimeSpan total)
    {
        var seconds = (int)Math.Max(0, Math.Ceiling(left.TotalSeconds));
        var done = total.TotalSeconds <= 0 ? 100 : (int)Math.Round(100 * (1 - left.TotalSeconds / total.TotalSeconds));
        return new ProgressRecord(id, activity, $"{what}: {DurationText.Clock(left)} left")
        {
            PercentComplete = Math.Min(100, Math.Max(0, done)),
            SecondsRemaining = seconds,
        };
    }

    /// <summary>-NoBrowser for the interactive mode: the URL is shown instead of opened.</summary>
    private sealed class PrintingBrowser : IBrowserLauncher
    {
        public BrowserLaunchResult Open(string url) => BrowserLaunchResult.Success("the printed URL");
    }
}
