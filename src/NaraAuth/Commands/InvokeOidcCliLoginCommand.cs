using System;
using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Browser;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;
using NaraAuth.Core.Text;

namespace NaraAuth.Commands;

/// <summary>
/// Logs in to EdgePlane through its server-mediated CLI login (docs/protocol.md 2.1) and saves the
/// session to ~/.edgeplane/session.json; the direct OIDC modes live in the partial file beside this one.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OidcCliLogin", DefaultParameterSetName = EdgePlaneSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Invoke-OidcCliLogin.md")]
[OutputType(typeof(EdgePlaneSessionInfo), typeof(EdgePlaneSessionPlainTextInfo), ParameterSetName = new[] { EdgePlaneSet })]
public sealed partial class InvokeOidcCliLoginCommand : NetworkCmdlet
{
    private const string EdgePlaneSet = "EdgePlane";

    /// <summary>The EdgePlane server (else EP_BASE_URL).</summary>
    [Parameter(ParameterSetName = EdgePlaneSet, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    /// <summary>Ask EdgePlane for a session lasting this many hours (server default otherwise).</summary>
    [Parameter(ParameterSetName = EdgePlaneSet)]
    [ValidateRange(1, 720)]
    public int? TtlHours { get; set; }

    /// <summary>Print the login URL instead of opening a browser (SSH sessions, other machines).</summary>
    [Parameter]
    public SwitchParameter NoBrowser { get; set; }

    /// <summary>A grant id (olg_...) from the login success page: exchange it without starting a new login.</summary>
    [Parameter(ParameterSetName = EdgePlaneSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string? GrantId { get; set; }

    /// <summary>Ask for the grant id shown on the success page instead of polling for it.</summary>
    [Parameter(ParameterSetName = EdgePlaneSet)]
    public SwitchParameter PromptForGrantId { get; set; }

    /// <summary>Return the same object with the session token(s) as strings instead of SecureStrings.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>How long to wait for the person to finish the login in the browser (default 600 s; not the per-request -TimeoutSec).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int LoginTimeoutSec { get; set; } = Core.Oidc.BrowserLoginOptions.DefaultTimeoutSeconds;

    /// <summary>Keep a saved session only if it stays valid this long (EdgePlane: 1 hour, direct OIDC: 5 minutes).</summary>
    [Parameter]
    public TimeSpan? MinimumValidity { get; set; }

    /// <summary>Log in again even when the saved session is valid or can be refreshed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessNaraRecord()
    {
        if (ParameterSetName == DirectSet) LoginDirect();
        else LoginToEdgePlane();
    }

    private void LoginToEdgePlane()
    {
        var baseUrl = EdgePlaneUrl.Resolve(BaseUrl, Context.Environment);
        WorkingOn = baseUrl.ToString();
        var path = EdgePlaneSession.DefaultPath(Context.Environment);
        var flow = new CliLoginFlow(baseUrl, Context.Clock, Reporter) { MaxWait = TimeSpan.FromSeconds(LoginTimeoutSec) };

        var grantId = GrantId;
        if (grantId == null && !Force)
        {
            var minimum = MinimumValidity ?? EdgePlaneSessionReuse.DefaultMinimumValidity;
            var saved = EdgePlaneSessionReuse.Find(Context.Store, path, baseUrl, Context.Clock.UtcNow, minimum, out var why);
            if (saved != null)
            {
                WriteHostLine($"Already logged in to {saved.BaseUrl} as {saved.Subject} until {TimeText.Of(saved.ExpiresAt)}; nothing was changed (use -Force to log in again).");
                if (AsPlainText) MaskSecretForCi(saved.Token);
                WriteObject(ModelMapping.ToInfo(saved, path, Context.Clock.UtcNow, AsPlainText));
                return;
            }
            WriteVerbose(why);
        }
        if (grantId == null && WhyNoPersonHere() is { } nobody)
        {
            throw Core.EdgeConnector.Interactivity.NonInteractiveError(nobody, "The EdgePlane browser login",
                "-GrantId olg_... (the grant id of a login finished in a browser elsewhere), or a session saved beforehand in " + path,
                "Invoke-OidcCliLogin -BaseUrl <url> -GrantId olg_...");
        }
        if (!ShouldProcess(path, grantId == null ? $"Log in to EdgePlane at {baseUrl} in the browser and save the session" : $"Exchange the grant at {baseUrl} and save the session"))
            return;
        if (grantId == null)
        {
            WriteVerbose($"Starting the EdgePlane login at {baseUrl}.");
            var start = RunAsync(token => flow.InitiateAsync(token));
            ShowLoginUrl(start.AuthorizeUrl, start.ExpiresAt);
            grantId = PromptForGrantId ? AskForGrantId() : RunAsync(token => flow.WaitForGrantAsync(start, token));
        }

        WriteVerbose("Exchanging the one-time grant for a session.");
        var session = RunAsync(token => flow.ExchangeAsync(grantId, TtlHours, token));
        // Ctrl+C after the exchange must still leave the disk untouched.
        StopToken.ThrowIfCancellationRequested();
        session.Write(Context.Store, path);
        WriteVerbose($"Saved the EdgePlane session to '{path}' (owner-only).");
        WriteHostLine($"Logged in to {session.BaseUrl} as {session.Subject}{(session.Email != null ? " <" + session.Email + ">" : string.Empty)} until {TimeText.Of(session.ExpiresAt)}.");

        if (AsPlainText) MaskSecretForCi(session.Token);
        WriteObject(ModelMapping.ToInfo(session, path, Context.Clock.UtcNow, AsPlainText));
    }

    private void ShowLoginUrl(Uri url, DateTimeOffset expiresAt)
    {
        var opened = false;
        if (!NoBrowser)
        {
            var launch = new SystemBrowserLauncher(Context.Environment).Open(url.AbsoluteUri);
            opened = launch.Started;
            if (!opened) WriteWarning($"Could not open a browser ({launch.Description}); open the URL below yourself.");
        }
        WriteHostLine(opened
            ? $"A browser window opened for the EdgePlane login. If it did not, open: {url.AbsoluteUri}"
            : $"To log in to EdgePlane, open this URL in a browser: {url.AbsoluteUri}");
        WriteHostLine($"The login link expires at {TimeText.Of(expiresAt)}.");
    }

    private string AskForGrantId()
    {
        WriteHostLine("After logging in, the success page shows a grant id (olg_...).");
        Host.UI.Write("Grant id: ");
        var typed = Host.UI.ReadLine()?.Trim();
        StopToken.ThrowIfCancellationRequested();
        if (string.IsNullOrEmpty(typed))
        {
            throw new Core.Errors.NaraAuthException("EdgePlaneGrantMissing", Core.Errors.NaraErrorCategory.InvalidArgument,
                "No grant id was entered.", "Run Invoke-OidcCliLogin again, or pass -GrantId olg_...", "-GrantId");
        }
        return typed!;
    }
}
