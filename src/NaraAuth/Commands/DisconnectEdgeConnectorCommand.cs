using System.Management.Automation;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// The Edge Connector logout: removes the stored token and the default bundle beside it (and a
/// saved deployment credentials file on request). Idempotent: nothing to remove is not an error.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "EdgeConnector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Disconnect-EdgeConnector.md")]
[OutputType(typeof(EdgeConnectorDisconnection))]
public sealed partial class DisconnectEdgeConnectorCommand : NaraCmdlet
{
    /// <summary>The token file; else AUTH_TOKEN_PATH, config.json, the installation directory.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("TokenPath")]
    [AllowNull, AllowEmptyString] // piped connection objects of the deployment mode have no TokenPath: the default rules apply
    public string? Path { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? InstallPath { get; set; }

    /// <summary>Also remove this deployment credentials file (written by Connect-EdgeConnector -SaveCredentialsTo).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CredentialsPath")]
    [AllowNull, AllowEmptyString] // piped connection objects of the token modes have none
    public string? DeploymentCredentialsPath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Remove the files even when they do not look like a token or credentials file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessNaraRecord()
    {
        if (RunOnSessions()) return;
        var logout = EdgeConnectorLogout.Plan(Context, ResolveUserPath(Path, nameof(Path)), ResolveUserPath(InstallPath, nameof(InstallPath)), ResolveUserPath(DeploymentCredentialsPath, nameof(DeploymentCredentialsPath)), Force);
        LogoutRunner.Run(this, logout, PassThru, ModelMapping.ToDisconnection);
    }
}
