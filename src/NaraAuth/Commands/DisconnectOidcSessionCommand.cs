using System.Management.Automation;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Sessions;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>
/// Logs out of a direct OIDC login on this machine: deletes its session file and MSAL's token
/// cache beside it (the refresh tokens). Takes Get-OidcSession objects from the pipeline, which
/// may also be the EdgePlane session (deleted as Disconnect-EdgePlane does).
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "OidcSession", DefaultParameterSetName = SettingsSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Disconnect-OidcSession.md")]
[OutputType(typeof(void))]
public sealed class DisconnectOidcSessionCommand : NaraCmdlet
{
    private const string SettingsSet = "Settings";
    private const string PathSet = "Path";

    /// <summary>The identity provider's issuer URL (else OIDC_ISSUER_URL).</summary>
    [Parameter(ParameterSetName = SettingsSet)]
    [Alias("Issuer")]
    [ValidateNotNullOrEmpty]
    public string? Authority { get; set; }

    /// <summary>The client id the login used (else OIDC_CLIENT_ID).</summary>
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

    protected override void ProcessNaraRecord()
    {
        var catalog = new SavedLoginCatalog(Context.Environment, Context.Store);
        var session = Path ?? SessionPathOf(OidcSettings.Resolve(Authority, ClientId, Scopes, Context.Environment));
        var files = catalog.FilesOf(session);
        if (!System.Linq.Enumerable.Any(files, System.IO.File.Exists))
        {
            // Logging out twice is not a failure: the goal (no session on disk) is met.
            WriteWarning($"There is no saved session at '{session}'; nothing to remove.");
            return;
        }
        if (!ShouldProcess(session, files.Count > 1 ? "Delete the OIDC session file and its MSAL token cache" : "Delete the session file")) return;
        foreach (var deleted in SavedLoginCatalog.Delete(files, "SessionDeleteFailed")) WriteVerbose($"Deleted '{deleted}'.");
        WriteVerbose("Tokens already issued stay valid at the provider until they expire; the refresh tokens are gone from this machine.");
    }

    private string SessionPathOf(OidcSettings settings) => new OidcLogin(Context, settings).Path;
}
