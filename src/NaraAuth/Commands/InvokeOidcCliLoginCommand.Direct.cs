using System;
using System.Management.Automation;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Browser;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Invoke-OidcCliLogin -Authority/-ClientId/-UseDeviceCode: direct OIDC against the identity provider (protocol.md 2.3).</summary>
[OutputType(typeof(OidcSessionInfo), ParameterSetName = new[] { DirectSet })]
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

    /// <summary>Scopes to ask for (else OIDC_SCOPES, else "openid profile email").</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Scopes { get; set; }

    /// <summary>Use the device authorization grant: show a code to enter on another device.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    public SwitchParameter UseDeviceCode { get; set; }

    /// <summary>Log in again even when the saved session is valid or can be refreshed.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    public SwitchParameter Force { get; set; }

    private void LoginDirect()
    {
        var settings = OidcSettings.Resolve(Authority, ClientId, Scopes, Context.Environment);
        var login = new OidcLogin(Context, settings);
        const string activity = "OIDC device login";
        OidcLoginResult result;
        try
        {
            result = RunAsync((pump, token) =>
            {
                login.Note += note => pump.Post(() => WriteVerbose(note));
                login.Warning += warning => pump.Post(() => WriteWarning(warning));
                if (UseDeviceCode)
                {
                    return login.LoginWithDeviceCodeAsync(Force, prompt => pump.Post(() => ShowDeviceCode(prompt)),
                        (left, total) => pump.Post(() => WriteProgress(CountDown(activity, "Waiting for the code to be entered", left, total))), token);
                }
                IBrowserLauncher browser = NoBrowser ? new PrintingBrowser(url => pump.Post(() => WriteHostLine($"To log in, open this URL in a browser on this machine: {url.AbsoluteUri}")))
                    : new SystemBrowserLauncher(Context.Environment);
                return login.LoginInteractiveAsync(Force, browser, token);
            });
        }
        finally
        {
            if (UseDeviceCode) WriteProgress(new ProgressRecord(2, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        var session = result.Session;
        WriteHostLine($"Logged in to {session.Issuer} as {session.Identity.Subject}{(session.Identity.Email != null ? " <" + session.Identity.Email + ">" : string.Empty)} until {session.Identity.ExpiresAt:u} ({result.Source}).");
        if (AsPlainText)
        {
            MaskSecretForCi(session.Tokens.IdToken);
            if (session.Tokens.AccessToken != null) MaskSecretForCi(session.Tokens.AccessToken);
        }
        WriteObject(new OidcSessionInfo
        {
            Subject = session.Identity.Subject,
            Email = session.Identity.Email,
            Name = session.Identity.Name,
            ExpiresOn = session.Identity.ExpiresAt?.UtcDateTime,
            Issuer = session.Issuer,
            ClientId = session.ClientId,
            Scope = session.Scope,
            Source = result.Source.ToString(),
            Path = result.Path,
            IdToken = AsPlainText ? session.Tokens.IdToken : SecretText.ToSecureString(session.Tokens.IdToken),
            AccessToken = session.Tokens.AccessToken == null ? null
                : AsPlainText ? session.Tokens.AccessToken : SecretText.ToSecureString(session.Tokens.AccessToken),
        });
    }

    /// <summary>The code and where to enter it go to the host, never the output stream, so $s = ... still shows them.</summary>
    private void ShowDeviceCode(DeviceCodePrompt prompt)
    {
        WriteHostLine($"To sign in, open {prompt.VerificationUri.AbsoluteUri} on any device and enter the code {prompt.UserCode}");
        if (prompt.VerificationUriComplete != null)
            WriteHostLine($"Or open this link, which already contains the code: {prompt.VerificationUriComplete.AbsoluteUri}");
        WriteHostLine($"The code expires at {prompt.ExpiresAt:u}.");
    }

    private static ProgressRecord CountDown(string activity, string what, TimeSpan left, TimeSpan total)
    {
        var seconds = (int)Math.Max(0, Math.Ceiling(left.TotalSeconds));
        var done = total.TotalSeconds <= 0 ? 100 : (int)Math.Round(100 * (1 - left.TotalSeconds / total.TotalSeconds));
        return new ProgressRecord(2, activity, $"{what}: {seconds / 60}:{seconds % 60:00} left")
        {
            PercentComplete = Math.Min(100, Math.Max(0, done)),
            SecondsRemaining = seconds,
        };
    }

    /// <summary>-NoBrowser for the interactive mode: the URL is shown instead of opened.</summary>
    private sealed class PrintingBrowser : IBrowserLauncher
    {
        private readonly Action<Uri> _show;
        public PrintingBrowser(Action<Uri> show) => _show = show;

        public BrowserLaunchResult Open(string url)
        {
            _show(new Uri(url));
            return BrowserLaunchResult.Success("the printed URL");
        }
    }
}
