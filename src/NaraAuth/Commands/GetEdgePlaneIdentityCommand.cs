using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Asks EdgePlane who the saved session belongs to (GET /auth/whoami, docs/protocol.md 2.2).</summary>
[Cmdlet(VerbsCommon.Get, "EdgePlaneIdentity", HelpUri = HelpLinks.Base + "Get-EdgePlaneIdentity.md")]
[OutputType(typeof(EdgePlaneIdentityInfo))]
public sealed class GetEdgePlaneIdentityCommand : NaraCmdlet
{
    /// <summary>The EdgePlane server; by default the one that issued the session.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    protected override void ProcessNaraRecord()
    {
        var path = EdgePlaneSession.DefaultPath(Context.Environment);
        WorkingOn = path;
        var session = EdgePlaneSession.Read(Context.Store, path, out var permissionWarning);
        if (permissionWarning != null) WriteWarning(permissionWarning);

        // The token goes to the server that issued it unless the caller names another one;
        // EP_BASE_URL only helps when the file does not say.
        var baseUrl = !string.IsNullOrWhiteSpace(BaseUrl)
            ? EdgePlaneUrl.Resolve(BaseUrl, Context.Environment)
            : !string.IsNullOrWhiteSpace(session.BaseUrl)
                ? Core.Http.BaseUrlPolicy.Parse(session.BaseUrl, $"base_url in '{path}'")
                : EdgePlaneUrl.Resolve(null, Context.Environment);
        WriteVerbose($"Asking {baseUrl} who the session in '{path}' belongs to.");
        var identity = RunAsync(token => EdgePlaneClient.WhoAmIAsync(baseUrl, session.Token, token));
        WriteObject(new EdgePlaneIdentityInfo
        {
            Subject = identity.Subject,
            Email = identity.Email,
            IsAdmin = identity.IsAdmin,
            ExpiresOn = identity.ExpiresAt?.ToUniversalTime(),
            SessionId = identity.SessionId,
            BaseUrl = EdgePlaneUrl.ToStored(baseUrl),
        });
    }
}
