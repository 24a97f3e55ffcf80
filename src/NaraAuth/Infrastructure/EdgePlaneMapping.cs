using System;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Models;

namespace NaraAuth.Infrastructure;

/// <summary>Maps Core's EdgePlane session to the output model (Core types never leave the cmdlet layer).</summary>
internal static class EdgePlaneMapping
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
}
