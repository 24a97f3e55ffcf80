using System;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    public static EdgePlaneSessionInfo ToInfo(EdgePlaneSession session, string path, DateTimeOffset now, bool asPlainText) => new()
    {
        Subject = session.Subject,
        Email = session.Email,
        ExpiresOn = session.ExpiresAt?.UtcDateTime,
        ExpiresIn = session.ExpiresAt - now,
        IsExpired = session.IsExpired(now),
        BaseUrl = session.BaseUrl,
        SessionId = session.SessionId,
        Path = path,
        Token = asPlainText ? session.Token : SecretText.ToSecureString(session.Token),
    };

    public static EdgePlaneIdentityInfo ToInfo(EdgePlaneIdentity identity, Uri baseUrl) => new()
    {
        Subject = identity.Subject,
        Email = identity.Email,
        IsAdmin = identity.IsAdmin,
        ExpiresOn = identity.ExpiresAt?.UtcDateTime,
        SessionId = identity.SessionId,
        BaseUrl = EdgePlaneUrl.ToStored(baseUrl),
    };
}
