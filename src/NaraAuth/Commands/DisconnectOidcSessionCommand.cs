using System.Management.Automation;
using NaraAuth.Core.Sessions;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Logs out of a direct OIDC login on this machine: deletes its session file and MSAL's token
/// cache beside it (the refresh tokens), after revoking at the provider what its discovery
/// advertises, through -Proxy and within -TimeoutSec. Takes Get-OidcSession objects from the
/// pipeline, which may also be the EdgePlane session (logged out as Disconnect-EdgePlane does).
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "OidcSession", DefaultParameterSetName = SettingsSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Disconnect-OidcSession.md")]
[OutputType(typeof(SessionDisconnection))]
public sealed class DisconnectOidcSessionCommand : NetworkCmdlet
{
    private const string SettingsSet = "Settings";
    private const string PathSet = "Path";

    /// <summary>The identity provider's issuer URL (else OIDC_ISSUER_URL).</summary>
    [Parameter(ParameterSetName = SettingsSet)]
    [Alias("Issuer")]
    [ValidateNotNullOrEmpty]
    public string? Authority { get; set; }

    /// <summary>The client id the login used (else OIDC_CLIENT_ID; not needed when one login is saved at the authority).</summary>
    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    /// <summary>The scopes the login used (else OIDC_SCOPES, else the default scopes).</summary>
    [Parameter(ParameterSetName = SettingsSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Scopes { get; set; }

    /// <summary>A session file, usually from Get-OidcSession through the pipeline.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Return a SessionDisconnection saying what was removed, or that nothing was there.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessNaraRecord()
    {
        var catalog = new SavedLoginCatalog(Context.Environment, Context.Store);
        var logout = ResolveUserPath(Path, nameof(Path)) is { } session
            ? catalog.LogoutOf(session, Reporter)
            : catalog.LogoutBySettings(Authority, ClientId, Scopes, Context);
        LogoutRunner.Run(this, logout, PassThru, ModelMapping.ToDisconnection);
    }
}
