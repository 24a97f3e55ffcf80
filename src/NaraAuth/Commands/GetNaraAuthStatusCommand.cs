using System.Linq;
using System.Management.Automation;
using NaraAuth.Core.Status;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Every credential this user has on this machine, one record each, as gh auth status and
/// az account show do: who, organization, expiry, file, owner and whether the file is protected;
/// -Verify asks each server. Never reads a secret into the output.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NaraAuthStatus")]
[OutputType(typeof(CredentialStatusInfo))]
public sealed partial class GetNaraAuthStatusCommand : NetworkCmdlet
{
    /// <summary>Only these kinds.</summary>
    [Parameter(Position = 0)]
    public Models.CredentialKind[]? Kind { get; set; }

    /// <summary>The Edge Connector token file; else AUTH_TOKEN_PATH, config.json, the installation folder, the per-user folder.</summary>
    [Parameter]
    [Alias("TokenPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InstallPath { get; set; }

    /// <summary>Ask each credential's server whether it still accepts it.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>The platform for -Verify of the Edge Connector token and deployment credentials (else NARA_BASE_URL, config.json, https://app.nara.de).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    /// <summary>A deployment credentials file (one written with Connect-EdgeConnector -SaveCredentialsTo), reported instead of the environment's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CredentialsPath { get; set; }

    /// <summary>The account the Edge Connector runs as: files it owns count as protected, and each record says whether it owns its file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RuntimeAccount { get; set; }

    protected override void ProcessNaraRecord()
    {
        if (RunOnSessions()) return;
        var query = new CredentialQuery
        {
            CredentialsPath = ResolveUserPath(CredentialsPath, nameof(CredentialsPath)),
            RuntimeAccount = RuntimeAccount == null ? null : Core.Storage.RuntimeAccount.Find(RuntimeAccount, Context.Environment),
            TokenPath = ResolveUserPath(Path, nameof(Path)),
            InstallPath = ResolveUserPath(InstallPath, nameof(InstallPath)),
            Kinds = Kind?.Select(k => ModelEnum.From<Core.Status.CredentialKind>(k)).ToList(),
            Verify = Verify.IsPresent,
            BaseUrl = BaseUrl,
        };
        if (Verify) WriteVerbose("Asking each credential's own server whether it still accepts it.");
        var statuses = RunAsync(token => new CredentialInventory(Context).ListAsync(query, token));
        foreach (var status in WithActions(statuses, query)) WriteObject(ModelMapping.ToInfo(status));
    }
}
