using System.Management.Automation;
using NaraAuth.Core.Sessions;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Lists the logins saved on this machine: every direct OIDC session and the EdgePlane session. Shows no token.</summary>
[Cmdlet(VerbsCommon.Get, "OidcSession", HelpUri = HelpLinks.Base + "Get-OidcSession.md")]
[OutputType(typeof(SavedLoginInfo))]
public sealed class GetOidcSessionCommand : NaraCmdlet
{
    /// <summary>
    /// Only direct OIDC sessions (OidcSession) or only the EdgePlane session (EdgePlaneSession): the
    /// kinds of Get-NaraAuthStatus -Kind. 0.1's words Oidc and EdgePlane are still read.
    /// </summary>
    [Parameter(Position = 0)]
    [SessionKindTransformation]
    [ValidateSet(nameof(CredentialKind.OidcSession), nameof(CredentialKind.EdgePlaneSession))]
    public CredentialKind? Kind { get; set; }

    protected override void ProcessNaraRecord()
    {
        var now = Context.Clock.UtcNow;
        var catalog = new SavedLoginCatalog(Context.Environment, Context.Store);
        var logins = catalog.List(Kind is { } kind ? ModelEnum.From<Core.Status.CredentialKind>(kind) : null);
        if (logins.Count == 0) WriteVerbose($"No saved login in '{catalog.OidcFolder}' nor at '{catalog.EdgePlanePath}'.");
        foreach (var login in logins)
        {
            if (login.Problem != null) Reporter.Warning(login.Problem);
            WriteObject(ModelMapping.ToInfo(login, now));
        }
    }
}
