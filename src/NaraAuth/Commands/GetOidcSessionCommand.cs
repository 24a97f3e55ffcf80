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
    /// <summary>Only direct OIDC sessions (Oidc) or only the EdgePlane session (EdgePlane).</summary>
    [Parameter(Position = 0)]
    [ValidateSet(SavedLogin.OidcKind, SavedLogin.EdgePlaneKind)]
    public string? Kind { get; set; }

    protected override void ProcessNaraRecord()
    {
        var now = Context.Clock.UtcNow;
        var catalog = new SavedLoginCatalog(Context.Environment, Context.Store);
        var logins = catalog.List(Kind);
        if (logins.Count == 0) WriteVerbose($"No saved login in '{catalog.OidcFolder}' nor at '{catalog.EdgePlanePath}'.");
        foreach (var login in logins)
        {
            if (login.Problem != null) WriteWarning(login.Problem);
            WriteObject(ModelMapping.ToInfo(login, now));
        }
    }
}
