using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using NaraAuth.Core.Browser;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.EdgeConnector.Login;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Authenticates the Edge Connector: browser login (default), a token file or raw JWT, or
/// deployment credentials; validates before saving, saves owner-only, syncs the default bundle.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "EdgeConnector", DefaultParameterSetName = BrowserSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Connect-EdgeConnector.md")]
[OutputType(typeof(EdgeConnectorConnection))]
public sealed partial class ConnectEdgeConnectorCommand : NetworkCmdlet
{
    private const string BrowserSet = "Browser";
    private const string TokenSet = "Token";
    private const string DeploymentSet = "Deployment";

    /// <summary>
    /// A token file (read as docs/protocol.md 1.4) or the JWT itself, as a SecureString (from
    /// Get-Secret or Get-AuthToken) or a string; a piped file (Get-Item) binds by its FullName.
    /// </summary>
    [Parameter(ParameterSetName = TokenSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNull]
    public object? Token { get; set; }

    /// <summary>Use deployment credentials from the environment or DEPLOYMENT_CREDENTIALS_PATH.</summary>
    [Parameter(ParameterSetName = DeploymentSet)]
    public SwitchParameter Deployment { get; set; }

    [Parameter(ParameterSetName = DeploymentSet)]
    [ValidateNotNullOrEmpty]
    public string? DeploymentId { get; set; }

    [Parameter(ParameterSetName = DeploymentSet)]
    [ValidateNotNull]
    public SecureString? DeploymentSecret { get; set; }

    /// <summary>Write the verified credentials to this file (owner-only) for a runtime started later.</summary>
    [Parameter(ParameterSetName = DeploymentSet)]
    [ValidateNotNullOrEmpty]
    public string? SaveCredentialsTo { get; set; }

    /// <summary>Require the token to be for this organization id.</summary>
    [Parameter(ParameterSetName = BrowserSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    [Parameter(ParameterSetName = BrowserSet)]
    public SwitchParameter NoBrowser { get; set; }

    /// <summary>Browser mode: the longest wait for the person to approve, in seconds (not the per-request -TimeoutSec).</summary>
    [Parameter(ParameterSetName = BrowserSet)]
    [ValidateRange(1, 86400)]
    public int LoginTimeoutSec { get; set; }

    /// <summary>Where to save the token; else AUTH_TOKEN_PATH, config.json, the installation directory.</summary>
    [Parameter(ParameterSetName = BrowserSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [ValidateNotNullOrEmpty]
    [Alias("TokenPath")]
    public string? Path { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InstallPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    [Parameter(ParameterSetName = BrowserSet)]
    [Parameter(ParameterSetName = TokenSet)]
    public SwitchParameter SkipBundleSync { get; set; }

    [Parameter(ParameterSetName = BrowserSet)]
    [Parameter(ParameterSetName = TokenSet)]
    public TimeSpan MinimumValidity { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Replace a stored token that is still good, and a file at the target path that is not a token or credentials file.</summary>
    [Parameter(ParameterSetName = BrowserSet)]
    [Parameter(ParameterSetName = TokenSet)]
    [Parameter(ParameterSetName = DeploymentSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// The account the Edge Connector runs as (svc-edge, DOMAIN\svc, NT SERVICE\EdgeConnector,
    /// LocalSystem): the token, the bundle and -SaveCredentialsTo are written for it, not for the
    /// account running this command.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RuntimeAccount { get; set; }

    /// <summary>Windows: Administrators keep full control of the files written for -RuntimeAccount.</summary>
    [Parameter]
    public SwitchParameter AllowAdministrators { get; set; }

    protected override void ProcessNaraRecord()
    {
        if (RunOnSessions()) return;
        var request = Request();
        var login = new EdgeConnectorLogin(Context, Reporter, new SystemBrowserLauncher(Context.Environment));
        WorkingOn = login.TokenPath(request);
        var plan = RunAsync(ct => login.PlanAsync(request, ct));
        var confirmed = plan.Action == null || ShouldProcess(plan.Target, plan.Action);
        var result = RunAsync(ct => login.ExecuteAsync(plan, confirmed, ct));
        if (result == null) return;
        // The login itself succeeded and is kept; only the bundle is missing.
        if (result.BundleError != null) WriteNaraError(result.BundleError);
        WriteObject(ModelMapping.ToConnection(result));
    }

    private EdgeConnectorLoginRequest Request() => new()
    {
        RequestedMode = ParameterSetName == DeploymentSet ? EdgeConnectorLoginMode.Deployment
            : ParameterSetName == TokenSet ? EdgeConnectorLoginMode.Token
            : EdgeConnectorLoginMode.Browser,
        BrowserOptionGiven = NoBrowser.IsPresent || MyInvocation.BoundParameters.ContainsKey(nameof(LoginTimeoutSec)),
        Token = ParameterSetName == TokenSet ? TokenText() : null,
        Organization = Organization,
        NoBrowser = NoBrowser,
        LoginTimeout = LoginTimeoutSec > 0 ? TimeSpan.FromSeconds(LoginTimeoutSec) : null,
        NonInteractiveReason = ParameterSetName == BrowserSet ? WhyNoPersonHere() : null,
        TokenFilePath = TokenFilePath,
        TokenPath = ResolveUserPath(Path, nameof(Path)),
        InstallPath = ResolveUserPath(InstallPath, nameof(InstallPath)),
        BaseUrl = BaseUrl,
        SkipBundleSync = SkipBundleSync,
        MinimumValidity = MinimumValidity,
        Force = Force,
        RuntimeAccount = RuntimeAccount,
        AllowAdministrators = AllowAdministrators,
        DeploymentId = DeploymentId,
        DeploymentSecret = DeploymentSecret == null ? null : SecretText.ToPlainText(DeploymentSecret),
        SaveCredentialsTo = ResolveUserPath(SaveCredentialsTo, nameof(SaveCredentialsTo)),
    };

    /// <summary>The file a -Token value names, read as PowerShell reads a path ('~', drives, the current location); null when it
    /// cannot name a file system path, so it is a raw JWT. A path of another provider (Env:, Function:) is refused, not read as a token.</summary>
    private string? TokenFilePath(string value)
    {
        try
        {
            return ResolveUserPath(value, nameof(Token));
        }
        catch (Core.Errors.NaraAuthException e) when (e.ErrorId == Core.Errors.ErrorIds.PathNotResolved)
        {
            return null;
        }
    }

    /// <summary>
    /// -Token as text. Because -Token takes any object (a SecureString or a string), a piped
    /// object binds whole rather than by property name, so the properties that name a token are
    /// read here: a file's FullName (Get-Item, or any object with one), else a Token property
    /// (Get-AuthToken's output).
    /// </summary>
    private string TokenText()
    {
        object? value = Token;
        if (value is PSObject wrapped && !(wrapped.BaseObject is string) && !(wrapped.BaseObject is SecureString))
        {
            value = wrapped.Properties["FullName"]?.Value ?? wrapped.Properties["Token"]?.Value ?? wrapped.BaseObject;
        }
        if (value is PSObject inner) value = inner.BaseObject;
        return value is FileSystemInfo file ? file.FullName : SecretText.FromParameter(value) ?? string.Empty;
    }
}
