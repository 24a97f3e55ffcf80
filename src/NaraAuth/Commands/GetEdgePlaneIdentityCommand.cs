using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Asks EdgePlane who the saved session belongs to (GET /auth/whoami, docs/protocol.md 2.2).</summary>
[Cmdlet(VerbsCommon.Get, "EdgePlaneIdentity", HelpUri = HelpLinks.Base + "Get-EdgePlaneIdentity.md")]
[OutputType(typeof(EdgePlaneIdentityInfo))]
public sealed class GetEdgePlaneIdentityCommand : NetworkCmdlet
{
    /// <summary>The EdgePlane server; by default the one that issued the session.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    protected override void ProcessNaraRecord()
    {
        var path = EdgePlaneSession.DefaultPath(Context.Environment);
        WorkingOn = path;
        var session = EdgePlaneSession.Read(Context.Store, path);

        var baseUrl = EdgePlaneUrl.ForSession(BaseUrl, session, path, Context.Environment);
        WriteVerbose($"Asking {baseUrl} who the session in '{path}' belongs to.");
        var identity = RunAsync(token => EdgePlaneClient.WhoAmIAsync(baseUrl, session.Token, token, Reporter));
        WriteObject(ModelMapping.ToInfo(identity, baseUrl));
    }
}
