using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;

namespace NaraAuth.Commands;

/// <summary>Get-AuthToken -EdgePlane: reads the EdgePlane session saved by Invoke-OidcCliLogin.</summary>
public sealed partial class GetAuthTokenCommand
{
    private const string EdgePlaneSet = "EdgePlane";

    /// <summary>Read the EdgePlane session (~/.edgeplane/session.json) instead of the Edge Connector token.</summary>
    [Parameter(ParameterSetName = EdgePlaneSet, Mandatory = true)]
    public SwitchParameter EdgePlane { get; set; }

    private void WriteEdgePlaneSession()
    {
        var path = EdgePlaneSession.DefaultPath(Context.Environment);
        WorkingOn = path;
        WriteVerbose($"Reading the EdgePlane session from '{path}'.");
        var session = EdgePlaneSession.Read(Context.Store, path);

        var now = Context.Clock.UtcNow;
        if (session.CheckExpiry(path, now, WarningWindow, AllowExpired) is { } expiryWarning) Reporter.Warning(expiryWarning);

        if (AsPlainText) MaskSecretForCi(session.Token);
        WriteObject(ModelMapping.ToInfo(session, path, now, AsPlainText));
    }
}
