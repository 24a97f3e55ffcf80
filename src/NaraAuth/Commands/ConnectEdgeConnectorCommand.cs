using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Threading;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Config;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Tokens;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Authenticates the Edge Connector: browser login (default), a token file or raw JWT, or
/// deployment credentials; validates before saving, saves owner-only, syncs the default bundle.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "EdgeConnector", DefaultParameterSetName = BrowserSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Connect-EdgeConnector.md")]
[OutputType(typeof(EdgeConnectorConnection))]
public sealed class ConnectEdgeConnectorCommand : NaraCmdlet
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

    [Parameter(ParameterSetName = BrowserSet)]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

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

    private CmdletPump? _pump;

    /// <summary>RunAsync that also lets HTTP retry notices reach the verbose stream.</summary>
    private T Run<T>(Func<CancellationToken, System.Threading.Tasks.Task<T>> work) => RunAsync((pump, ct) =>
    {
        _pump = pump;
        return work(ct);
    });

    protected override void ProcessNaraRecord()
    {
        var location = TokenLocation.Resolve(Context.Environment, Path, InstallPath, Context.CurrentDirectory);
        WorkingOn = location.Path;
        var baseUrl = PlatformUrl.Resolve(BaseUrl, Context.Environment, location.Config);
        var platform = new ApiClient(baseUrl);
        // Raised on the worker thread: shown through the pump of the call in progress.
        platform.Retrying += (attempt, wait, why) => _pump?.Post(() => WriteVerbose(RetryNotice.Text(attempt, wait, why)));

        switch (ChooseMode())
        {
            case DeploymentSet:
                ConnectDeployment(platform, location);
                break;
            case TokenSet:
                ConnectToken(platform, location);
                break;
            default:
                ConnectBrowser(platform, location);
                break;
        }
    }

    /// <summary>With no mode chosen, deployment credentials in the environment win, as in the runtime (docs/protocol.md 1.2).</summary>
    private string ChooseMode()
    {
        if (ParameterSetName != BrowserSet) return ParameterSetName;
        var env = Context.Environment;
        var anyDeploymentSetting = env.GetVariable("DEPLOYMENT_ID") != null || env.GetVariable("DEPLOYMENT_SECRET") != null
            || env.GetVariable("DEPLOYMENT_CREDENTIALS_PATH") != null;
        var browserChosen = NoBrowser.IsPresent || MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec));
        if (anyDeploymentSetting && !browserChosen)
        {
            WriteVerbose("Deployment credentials are configured in the environment, so they are used (as the Edge Connector runtime does).");
            return DeploymentSet;
        }
        return BrowserSet;
    }

    private void ConnectToken(ApiClient platform, TokenLocation location)
    {
        var (jwt, sourceFile) = TokenInput.Resolve(TokenText(), Context.CurrentDirectory, Context.Store, out var tokenFileWarning);
        if (tokenFileWarning != null) WriteWarning(tokenFileWarning);
        WriteVerbose(sourceFile != null ? $"Read the token from the file '{sourceFile}'." : "Using the token given as a raw JWT.");
        var onboarding = new EdgeConnectorOnboarding(Context, platform);
        // Validated first (reads only), so bad input fails with its own error even when a good
        // token is already stored; then a stored token of the same organization is kept.
        var validated = Run(ct => onboarding.ValidateAsync(jwt, Organization, ct));
        if (TryReuse(onboarding, location, validated.Jwt.Organization, "Token")) return;
        SaveAndSync(onboarding, location, validated, "Token", platform.BaseUrl,
            $"Save the validated token for organization '{validated.Jwt.Organization}'");
    }

    private void ConnectBrowser(ApiClient platform, TokenLocation location)
    {
        var onboarding = new EdgeConnectorOnboarding(Context, platform);
        if (TryReuse(onboarding, location, Organization, "Browser")) return;

        var why = WhyNoPersonHere();
        if (why != null) throw Interactivity.NonInteractiveError(why);

        if (!ShouldProcess(location.Path, $"Log in through the browser at {platform.BaseUrl} and save the token" + (SkipBundleSync ? string.Empty : $" and the default bundle ('{location.BundlePath}')")))
            return;

        var deviceId = DeviceIdentity.GetOrCreate(Context.Environment, Context.Store);
        // Polls handle 429 and Retry-After themselves (docs/protocol.md 1.1), so no automatic retries.
        var polling = new ApiClient(platform.BaseUrl, retry: new RetryOptions { MaxRetries = 0 });
        var flow = new DesktopLoginFlow(polling, Context.Clock);
        var start = Run(ct => flow.StartAsync(Context.Environment.MachineName, deviceId, ct));

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

        const int progressId = 1;
        var activity = $"Waiting for approval of code {start.Code}";
        string jwt;
        try
        {
            jwt = RunAsync((pump, ct) =>
            {
                _pump = pump;
                flow.Waiting += p => pump.Post(() => WriteProgress(new ProgressRecord(progressId, activity, $"Approve in the browser: {start.Url}")
                {
                    SecondsRemaining = (int)Math.Ceiling(p.Remaining.TotalSeconds),
                    PercentComplete = p.Lifetime <= TimeSpan.Zero ? 100 : Math.Max(0, Math.Min(100, (int)(100 * (1 - p.Remaining.TotalSeconds / p.Lifetime.TotalSeconds)))),
                    CurrentOperation = $"{(int)p.Remaining.TotalMinutes}:{p.Remaining.Seconds:00} left",
                }));
                flow.Note += note => pump.Post(() => WriteVerbose(note));
                return flow.WaitForTokenAsync(start, TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null, ct);
            });
        }
        finally
        {
            WriteProgress(new ProgressRecord(progressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        var validated = Run(ct => onboarding.ValidateAsync(jwt, Organization, ct));
        SaveAndSync(onboarding, location, validated, "Browser", platform.BaseUrl, whatIfAction: null);
    }

    private void ConnectDeployment(ApiClient platform, TokenLocation location)
    {
        var secret = DeploymentSecret == null ? null : SecretText.ToPlainText(DeploymentSecret);
        var credentials = DeploymentCredentials.Resolve(DeploymentId, secret, Context.Environment, Context.CurrentDirectory);
        if (credentials.PermissionWarning != null) WriteWarning(credentials.PermissionWarning);
        WriteVerbose($"Verifying deployment '{credentials.DeploymentId}' (from {credentials.Source}) with the WebSocket handshake at {platform.BaseUrl}.");
        Run(async ct =>
        {
            await new EdgeConnectorSocket(platform).VerifyAsync(credentials, ct).ConfigureAwait(false);
            return true;
        });

        string? savedTo = null;
        if (SaveCredentialsTo != null)
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Context.CurrentDirectory, SaveCredentialsTo));
            if (!ShouldProcess(path, $"Save the credentials of deployment '{credentials.DeploymentId}' (owner-only)")) return;
            credentials.Save(Context.Store, path, Force);
            savedTo = path;
        }

        WriteObject(new EdgeConnectorConnection
        {
            Mode = EdgeConnectorMode.Deployment,
            Status = EdgeConnectorStatus.Verified,
            DeploymentId = credentials.DeploymentId,
            CredentialSource = ModelEnum.From<Models.DeploymentCredentialSource>(credentials.Source),
            CredentialsPath = savedTo ?? credentials.FilePath,
            BaseUrl = platform.BaseUrl.ToString(),
        });
    }

    /// <summary>Idempotent onboarding: a stored token that already does the job is reported, not replaced.</summary>
    private bool TryReuse(EdgeConnectorOnboarding onboarding, TokenLocation location, string? organization, string mode)
    {
        if (Force) return false;
        var existing = Run(ct => onboarding.FindReusableAsync(location, organization, MinimumValidity, ct));
        if (existing == null) return false;
        if (onboarding.PermissionWarning(location) is { } warning) WriteWarning(warning);
        WriteHostLine($"Already connected: the token in '{location.Path}' is valid for organization '{existing.Jwt.Organization}' until {existing.Jwt.ExpiresAt:u}; nothing was changed (use -Force to replace it).");
        WriteObject(ToConnection(existing, mode, EdgeConnectorStatus.AlreadyConnected, location, File.Exists(location.BundlePath) ? location.BundlePath : null, onboarding.BaseUrl));
        return true;
    }

    private void SaveAndSync(EdgeConnectorOnboarding onboarding, TokenLocation location, Core.Tokens.TokenValidationResult validated, string mode, Uri baseUrl, string? whatIfAction)
    {
        if (!validated.SignatureVerified)
            WriteWarning($"{baseUrl} publishes no signing keys, so the token's signature was not checked.");
        // The browser mode asked before the login; asking again after the person approved would be noise.
        if (whatIfAction != null && !ShouldProcess(location.Path, whatIfAction + (SkipBundleSync ? string.Empty : $" and the default bundle ('{location.BundlePath}')")))
            return;

        StopToken.ThrowIfCancellationRequested();
        onboarding.SaveToken(location, validated.Jwt.Raw, Force);
        WriteVerbose($"Saved the token to '{location.Path}' (chosen by {location.Source}).");

        string? bundlePath = null;
        if (!SkipBundleSync)
        {
            try
            {
                var bundle = Run(ct => onboarding.DownloadBundleAsync(location, validated.Jwt.Raw, ct));
                onboarding.SaveBundle(location, bundle);
                bundlePath = location.BundlePath;
                WriteVerbose($"Saved the default bundle to '{bundlePath}'.");
            }
            catch (NaraAuthException e)
            {
                // The login itself succeeded and is kept; only the bundle is missing.
                WriteNaraError(e);
            }
        }
        WriteObject(ToConnection(validated, mode, EdgeConnectorStatus.Connected, location, bundlePath, baseUrl));
    }

    private static EdgeConnectorConnection ToConnection(Core.Tokens.TokenValidationResult result, string mode, EdgeConnectorStatus status, TokenLocation location, string? bundlePath, Uri baseUrl)
    {
        var jwt = result.Jwt;
        return new EdgeConnectorConnection
        {
            Mode = (EdgeConnectorMode)Enum.Parse(typeof(EdgeConnectorMode), mode),
            Status = status,
            Organization = jwt.Organization,
            OrganizationName = result.OrganizationName,
            Subject = jwt.Subject,
            Email = jwt.Email,
            Role = jwt.Role,
            ExpiresOn = jwt.ExpiresAt?.ToUniversalTime(),
            TokenPath = location.Path,
            BundlePath = bundlePath,
            SignatureVerified = result.SignatureVerified,
            BaseUrl = baseUrl.ToString(),
        };
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
        var text = value is FileSystemInfo file ? file.FullName : SecretText.FromParameter(value);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new NaraAuthException("EmptyToken", NaraErrorCategory.InvalidArgument,
                "-Token is empty.", "Pass a token file or the JWT, as a SecureString or a string.", "-Token");
        }
        return text!;
    }
}
