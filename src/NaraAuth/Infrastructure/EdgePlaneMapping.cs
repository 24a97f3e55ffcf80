using System;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Models;

namespace NaraAuth.Infrastructure;

/// <summary>Maps Core's EdgePlane session to the output model (Core types never leave the cmdlet layer).</summary>
internal static class EdgePlaneMapping
{
    public static EdgePlaneSessionInfoBase ToInfo(EdgePlaneSession session, string path, DateTimeOffset now, bool asPlainText)
    {
        EdgePlaneSessionInfoBase info = asPlainText
            ? new EdgePlaneSessionPlainTextInfo { Token = session.Token }
            : new EdgePlaneSessionInfo { Token = SecretText.ToSecureString(session.Token) };
        info.Subject = session.Subject;
        info.Email = session.Email;
        info.ExpiresOn = session.ExpiresAt?.ToUniversalTime();
        info.ExpiresIn = session.ExpiresAt - now;
        info.IsExpired = session.IsExpired(now);
        info.BaseUrl = session.BaseUrl;
        info.SessionId = session.SessionId;
        info.Path = path;
        return info;
    }
}
