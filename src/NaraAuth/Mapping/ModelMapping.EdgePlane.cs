using System;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
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

    public static EdgePlaneIdentityInfo ToInfo(EdgePlaneIdentity identity, Uri baseUrl) => new()
    {
        Subject = identity.Subject,
        Email = identity.Email,
        IsAdmin = identity.IsAdmin,
        ExpiresOn = identity.ExpiresAt?.ToUniversalTime(),
        SessionId = identity.SessionId,
        BaseUrl = EdgePlaneUrl.ToStored(baseUrl),
    };
}
