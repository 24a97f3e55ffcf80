using System;
using System.Management.Automation;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Reads the stored credential and reports its claims, expiry and where it came from.</summary>
[Cmdlet(VerbsCommon.Get, "AuthToken", DefaultParameterSetName = EdgeConnectorSet, HelpUri = HelpLinks.Base + "Get-AuthToken.md")]
[OutputType(typeof(AuthTokenInfo), typeof(AuthTokenPlainTextInfo), ParameterSetName = new[] { EdgeConnectorSet })]
[OutputType(typeof(EdgePlaneSessionInfo), typeof(EdgePlaneSessionPlainTextInfo), ParameterSetName = new[] { EdgePlaneSet })]
public sealed partial class GetAuthTokenCommand : NetworkSettingsCmdlet
{
    private const string EdgeConnectorSet = "EdgeConnector";

    /// <summary>An explicit token file; wins over every other rule.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("TokenPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The Edge Connector installation directory (else EDGE_CONNECTOR_HOME, else the current directory when it has a config.json, else the per-user folder).</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [ValidateNotNullOrEmpty]
    public string? InstallPath { get; set; }

    /// <summary>Return the same object with the token as a string instead of a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>Return an expired token's details instead of failing.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [Parameter(ParameterSetName = EdgePlaneSet)]
    public SwitchParameter AllowExpired { get; set; }

    /// <summary>Warn when the token expires within this time (default 10 minutes).</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [Parameter(ParameterSetName = EdgePlaneSet)]
    public TimeSpan WarningWindow { get; set; } = ExpiryNotice.DefaultWarningWindow;

    /// <summary>Also verify the signature and organization against the platform.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    public SwitchParameter Verify { get; set; }

    /// <summary>The platform for -Verify (else NARA_BASE_URL, else config.json, else https://app.nara.de).</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    /// <summary>The account the Edge Connector runs as: OwnerMatchesRuntimeAccount says whether it owns the token file.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [ValidateNotNullOrEmpty]
    public string? RuntimeAccount { get; set; }

    /// <summary>An explicit proxy for the requests of -Verify (the only mode that sends any).</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [ValidateNotNull]
    public override Uri? Proxy { get; set; }

    /// <summary>The account for -Proxy; sent only to the proxy, never to the server.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [Credential]
    [ValidateNotNull]
    public override PSCredential? ProxyCredential { get; set; }

    /// <summary>How long one request of -Verify (the only mode that sends any) may take, in seconds.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [ValidateRange(1, 86400)]
    public override int TimeoutSec { get; set; }

    protected override void ProcessNaraRecord()
    {
        if (ParameterSetName == WorkerSet) { ProcessWorkerToken(); return; }
        if (ParameterSetName == EdgePlaneSet) { WriteEdgePlaneSession(); return; }
        var query = new StoredTokenQuery
        {
            TokenPath = ResolveUserPath(Path, nameof(Path)),
            InstallPath = ResolveUserPath(InstallPath, nameof(InstallPath)),
            AllowExpired = AllowExpired,
            Verify = Verify,
            BaseUrl = BaseUrl,
            WarningWindow = WarningWindow,
            // Looked up first: a misspelt account fails on its own, before the token is read.
            RuntimeAccount = RuntimeAccount == null ? null : Core.Storage.RuntimeAccount.Find(RuntimeAccount, Context.Environment),
        };
        var check = RunAsync(token => StoredTokenCheck.RunAsync(query, Context, Reporter, path => WorkingOn = path, token));
        if (AsPlainText) MaskSecretForCi(check.Stored.Jwt.Raw);
        WriteObject(ModelMapping.ToInfo(check, AsPlainText));
    }
}
