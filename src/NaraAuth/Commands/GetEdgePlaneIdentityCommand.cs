using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Asks EdgePlane whom a credential belongs to (GET /auth/whoami, docs/protocol.md 2.2): -Token,
/// else EP_TOKEN, else the saved session.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EdgePlaneIdentity", HelpUri = HelpLinks.Base + "Get-EdgePlaneIdentity.md")]
[OutputType(typeof(EdgePlaneIdentityInfo))]
public sealed class GetEdgePlaneIdentityCommand : EdgePlaneCmdlet
{
    /// <summary>The EdgePlane server; by default EP_BASE_URL, and for the saved session the one that issued it.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    protected override string? BaseUrlArgument => BaseUrl;

    protected override void ProcessNaraRecord()
    {
        var api = Api;
        var identity = RunAsync(token => api.WhoAmIAsync(token));
        WriteObject(ModelMapping.ToInfo(identity, api.Credential.BaseUrl));
    }
}
