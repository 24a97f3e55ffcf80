using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Config;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;
using NaraAuth.Core.Text;

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

    /// <summary>Resolved from -RuntimeAccount before anything is sent or written.</summary>
    private RuntimeAccount? _owner;

    /// <summary>The platform and who named it: a stored login is sent only where it may go.</summary>
    private PlatformTarget? _target;

    protected override void ProcessNaraRecord()
    {
        if (RunOnSessions()) return;
        _owner = Core.Storage.RuntimeAccount.FromParameters(RuntimeAccount, AllowAdministrators, Context.Environment);
        var location = TokenLocation.Resolve(Context.Environment, ResolveUserPath(Path, nameof(Path)), ResolveUserPath(InstallPath, nameof(InstallPath)), Context.CurrentDirectory);
        WorkingOn = location.Path;
        _target = PlatformUrl.Choose(BaseUrl, Context.Environment, () => location.Config);
        var platform = new ApiClient(_target.Url, reporter: Reporter);

        switch (ChooseMode())
        {
            case EdgeConnectorLoginMode.Deployment:
                ConnectDeployment(platform, location);
                break;
            case EdgeConnectorLoginMode.Token:
                ConnectToken(platform, location);
                break;
            default:
                ConnectBrowser(platform, location);
                break;
        }
    }

    private EdgeConnectorLoginMode ChooseMode()
    {
        var requested = ParameterSetName == DeploymentSet ? EdgeConnectorLoginMode.Deployment
            : ParameterSetName == TokenSet ? EdgeConnectorLoginMode.Token
            : EdgeConnectorLoginMode.Browser;
        var browserOptionGiven = NoBrowser.IsPresent || MyInvocation.BoundParameters.ContainsKey(nameof(LoginTimeoutSec));
        var mode = EdgeConnectorLoginModes.Choose(requested, browserOptionGiven, Context.Environment);
        if (mode != requested) WriteVerbose(EdgeConnectorLoginModes.DeploymentFromEnvironmentNote);
        return mode;
    }

    private void ConnectToken(ApiClient platform, TokenLocation location)
    {
        var (jwt, sourceFile) = TokenInput.Resolve(TokenText(), TokenFilePath, Context.Store, out var tokenFileWarning);
        if (tokenFileWarning != null) WriteWarning(tokenFileWarning);
        WriteVerbose(sourceFile != null ? $"Read the token from the file '{sourceFile}'." : "Using the token given as a raw JWT.");
        var onboarding = new EdgeConnectorOnboarding(Context, platform);
        // Validated first (reads only), so bad input fails with its own error even when a good
        // token is already stored; then a stored token of the same organization is kept.
        var validated = RunAsync(ct => onboarding.ValidateHandedOverAsync(jwt, Organization, ct));
        if (TryReuse(onboarding, location, validated.Jwt.Organization, EdgeConnectorLoginMode.Token)) return;
        if (onboarding.ShortLifeWarning(validated, MinimumValidity, handedOver: true) is { } shortLife) WriteWarning(shortLife);
        SaveAndSync(onboarding, location, validated, EdgeConnectorLoginMode.Token, platform.BaseUrl,
            $"Save the validated token for organization '{validated.Jwt.Organization}'");
    }

    private void ConnectBrowser(ApiClient platform, TokenLocation location)
    {
        var onboarding = new EdgeConnectorOnboarding(Context, platform);
        if (TryReuse(onboarding, location, Organization, EdgeConnectorLoginMode.Browser)) return;

        var why = WhyNoPersonHere();
        if (why != null) throw Interactivity.NonInteractiveError(why);

        if (!ShouldProcess(location.Path, $"Log in through the browser at {platform.BaseUrl} and save the token" + (SkipBundleSync ? string.Empty : $" and the default bundle ('{location.BundlePath}')")))
            return;

        var deviceId = DeviceIdentity.GetOrCreate(Context.Environment, Context.Store);
        // Polls handle 429 and Retry-After themselves (docs/protocol.md 1.1), so no automatic retries.
        var polling = new ApiClient(platform.BaseUrl, retry: new RetryOptions { MaxRetries = 0 });
        var flow = new DesktopLoginFlow(polling, Context.Clock, reporter: Reporter);
        var start = RunAsync(ct => flow.StartAsync(Context.Environment.MachineName, deviceId, ct));

        // Host, not output: $c = Connect-EdgeConnector must still show the code to the person.
        WriteHostLine($"To connect the Edge Connector, open {start.Url}");
        WriteHostLine($"and check that the page shows the code {start.Code}, then approve.");
        if (NoBrowser)
        {
            WriteHostLine("(-NoBrowser: open the URL in any browser, on this or another device.)");
        }
        else
        {
            var launch = new SystemBrowserLauncher(Context.Environment).Open(start.Url);
            if (launch.Started) WriteVerbose($"Opened the login page with {launch.Description}.");
            else WriteHostLine($"Could not open a browser: {launch.Description}. Open the URL above yourself.");
        }

        var jwt = RunAsync(ct => flow.WaitForTokenAsync(start, LoginTimeoutSec > 0 ? TimeSpan.FromSeconds(LoginTimeoutSec) : null, ct));

        var validated = RunAsync(ct => onboarding.ValidateAsync(jwt, Organization, ct));
        SaveAndSync(onboarding, location, validated, EdgeConnectorLoginMode.Browser, platform.BaseUrl, whatIfAction: null);
    }

    private void ConnectDeployment(ApiClient platform, TokenLocation location)
    {
        var secret = DeploymentSecret == null ? null : SecretText.ToPlainText(DeploymentSecret);
        var credentials = DeploymentCredentials.Resolve(DeploymentId, secret, Context.Environment, Context.CurrentDirectory);
        if (credentials.PermissionWarning != null) WriteWarning(credentials.PermissionWarning);
        WriteVerbose($"Verifying deployment '{credentials.DeploymentId}' (from {credentials.Source}) with the WebSocket handshake at {platform.BaseUrl}.");
        RunAsync(async ct =>
        {
            await new EdgeConnectorSocket(platform).VerifyAsync(credentials, ct).ConfigureAwait(false);
            return true;
        });

        string? savedTo = null;
        if (SaveCredentialsTo != null)
        {
            var path = ResolveUserPath(SaveCredentialsTo, nameof(SaveCredentialsTo))!;
            if (!ShouldProcess(path, $"Save the credentials of deployment '{credentials.DeploymentId}' ({OwnerText})")) return;
            credentials.Save(Context.Store, path, Force, _owner);
            WarnIfUnreachable(path);
            savedTo = path;
        }
        else if (_owner != null)
        {
            WriteWarning("-RuntimeAccount names the owner of files this command writes; without -SaveCredentialsTo nothing is written.");
        }

        WriteObject(ModelMapping.ToConnection(credentials, savedTo, platform.BaseUrl));
    }

    /// <summary>Idempotent onboarding: a stored token that already does the job is reported, not replaced.</summary>
    private bool TryReuse(EdgeConnectorOnboarding onboarding, TokenLocation location, string? organization, EdgeConnectorLoginMode mode)
    {
        if (Force) return false;
        var existing = RunAsync(ct => onboarding.FindReusableAsync(location, organization, MinimumValidity, ct, _target, _owner));
        if (existing == null) return false;
        if (onboarding.PermissionWarning(location) is { } warning) WriteWarning(warning);
        var handedOver = false;
        if (_owner != null && onboarding.NotOwnedBy(location, _owner) is { Count: > 0 } others
            && ShouldProcess(string.Join("', '", others), $"Give to the runtime account '{_owner}' (the token stays the same)"))
        {
            onboarding.HandOver(location, others, _owner);
            handedOver = true;
            WriteVerbose($"Gave '{string.Join("', '", others)}' to the runtime account '{_owner}'.");
        }
        WarnIfUnreachable(location.Path);
        var changed = handedOver ? $"only its files were given to the runtime account '{_owner}'" : "nothing was changed";
        WriteHostLine($"Already connected: the token in '{location.Path}' is valid for organization '{existing.Jwt.Organization}' until {TimeText.Of(existing.Jwt.ExpiresAt)}; {changed} (use -Force to replace it).");
        WriteObject(ModelMapping.ToConnection(existing, mode, EdgeConnectorStatus.AlreadyConnected, location, File.Exists(location.BundlePath) ? location.BundlePath : null, onboarding.BaseUrl));
        return true;
    }

    private void SaveAndSync(EdgeConnectorOnboarding onboarding, TokenLocation location, Core.Tokens.TokenValidationResult validated, EdgeConnectorLoginMode mode, Uri baseUrl, string? whatIfAction)
    {
        if (!validated.SignatureVerified)
            WriteWarning($"{baseUrl} publishes no signing keys, so the token's signature was not checked.");
        // The browser mode asked before the login; asking again after the person approved would be noise.
        if (whatIfAction != null && !ShouldProcess(location.Path, whatIfAction + (SkipBundleSync ? string.Empty : $" and the default bundle ('{location.BundlePath}')") + $", {OwnerText}"))
            return;

        StopToken.ThrowIfCancellationRequested();
        onboarding.SaveToken(location, validated.Jwt.Raw, Force, _owner);
        WriteVerbose($"Saved the token to '{location.Path}' (chosen by {location.Source}, {OwnerText}).");
        WarnIfUnreachable(location.Path);
        if (location.UserFolderNote is { } note) WriteVerbose(note);

        string? bundlePath = null;
        if (!SkipBundleSync)
        {
            try
            {
                var bundle = RunAsync(ct => onboarding.DownloadBundleAsync(location, validated.Jwt.Raw, ct));
                onboarding.SaveBundle(location, bundle, _owner);
                bundlePath = location.BundlePath;
                WriteVerbose($"Saved the default bundle to '{bundlePath}'.");
            }
            catch (NaraAuthException e)
            {
                // The login itself succeeded and is kept; only the bundle is missing.
                WriteNaraError(e);
            }
        }
        WriteObject(ModelMapping.ToConnection(validated, mode, EdgeConnectorStatus.Connected, location, bundlePath, baseUrl));
    }

    private void WarnIfUnreachable(string path)
    {
        if (_owner != null && RuntimeReach.Problem(path, _owner) is { } warning) WriteWarning(warning);
    }

    /// <summary>
    /// The file a -Token value names, read as PowerShell reads a path ('~', drives, the current
    /// location); null when it cannot name a file system path, so it is taken as a raw JWT. A path
    /// of another provider (Env:, Function:) is refused rather than read as a token.
    /// </summary>
    private string? TokenFilePath(string value)
    {
        try
        {
            return ResolveUserPath(value, nameof(Token));
        }
        catch (NaraAuthException e) when (e.ErrorId == "PathNotResolved")
        {
            return null;
        }
    }

    private string OwnerText => _owner?.Description ?? "owner-only";

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
