using System;
using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Infrastructure;

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
        var session = EdgePlaneSession.Read(Context.Store, path, out var permissionWarning);
        if (permissionWarning != null) WriteWarning(permissionWarning);

        var now = Context.Clock.UtcNow;
        if (session.IsExpired(now))
        {
            if (!AllowExpired)
            {
                throw new Core.Errors.NaraAuthException("EdgePlaneSessionExpired", Core.Errors.NaraErrorCategory.AuthenticationError,
                    $"The EdgePlane session in '{path}' expired at {session.ExpiresAt:u}.",
                    "Log in again with Invoke-OidcCliLogin.", path);
            }
            WriteWarning($"The EdgePlane session in '{path}' has expired. Log in again with Invoke-OidcCliLogin.");
        }
        else if (session.ExpiresAt - now is { } left && left <= WarningWindow)
        {
            WriteWarning($"The EdgePlane session in '{path}' expires in {Math.Max(0, (int)left.TotalMinutes)} minute(s), at {session.ExpiresAt:u}. Log in again with Invoke-OidcCliLogin.");
        }

        if (AsPlainText) MaskSecretForCi(session.Token);
        WriteObject(EdgePlaneMapping.ToInfo(session, path, now, AsPlainText));
    }
}
