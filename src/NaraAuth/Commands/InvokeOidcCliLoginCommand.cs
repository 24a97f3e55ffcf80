using System;
using System.Management.Automation;
using NaraAuth.Core.Browser;
using NaraAuth.Core.EdgePlane.Login;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;
using NaraAuth.Core.Text;
using NaraAuth.Core.Oidc.Browser;

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
    public int LoginTimeoutSec { get; set; } = BrowserLoginOptions.DefaultTimeoutSeconds;

    /// <summary>Keep a saved session only if it stays valid this long (EdgePlane: 1 hour, direct OIDC: 5 minutes).</summary>
    [Parameter]
    public TimeSpan? MinimumValidity { get; set; }

    /// <summary>Log in again even when the saved session is valid or can be refreshed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessNaraRecord()
    {
        if (ParameterSetName == DirectSet && UsesClientCredentials) LoginWithClientCredentials();
        else if (ParameterSetName == DirectSet) LoginDirect();
        else LoginToEdgePlane();
    }

    private void LoginToEdgePlane()
    {
        var request = new EdgePlaneLoginRequest
        {
            BaseUrl = BaseUrl,
            TtlHours = TtlHours,
            NoBrowser = NoBrowser,
            GrantId = GrantId,
            AskForGrantId = PromptForGrantId ? ct => ((PipelineReporter)Reporter).Ask(ReadGrantId, ct) : null,
            LoginTimeout = TimeSpan.FromSeconds(LoginTimeoutSec),
            MinimumValidity = MinimumValidity,
            Force = Force,
            NonInteractiveReason = GrantId == null ? WhyNoPersonHere() : null,
        };
        var login = new EdgePlaneLogin(Context, Reporter, new SystemBrowserLauncher(Context.Environment));
        WorkingOn = login.Server(request).ToString();
        var plan = RunAsync(ct => login.PlanAsync(request, ct));
        var confirmed = plan.Action == null || ShouldProcess(plan.Target, plan.Action);
        var result = RunAsync(ct => login.ExecuteAsync(plan, confirmed, ct));
        if (result == null) return;
        if (AsPlainText) MaskSecretForCi(result.Session.Token);
        WriteObject(ModelMapping.ToInfo(result.Session, result.Path, Context.Clock.UtcNow, AsPlainText));
    }

    private string? ReadGrantId()
    {
        Host.UI.Write("Grant id: ");
        return Host.UI.ReadLine();
    }
}
