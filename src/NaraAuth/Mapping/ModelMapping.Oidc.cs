using System;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Sessions;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    public static OidcSessionInfo ToInfo(OidcLoginResult result, bool asPlainText)
    {
        var session = result.Session;
        return new OidcSessionInfo
        {
            Subject = session.Identity.Subject,
            Email = session.Identity.Email,
            Name = session.Identity.Name,
            ExpiresOn = session.ExpiresAt?.UtcDateTime,
            IdTokenExpiresOn = session.Identity.ExpiresAt?.UtcDateTime,
            AccessTokenExpiresOn = session.Tokens.AccessTokenExpiresAt?.UtcDateTime,
            Issuer = session.Issuer,
            ClientId = session.ClientId,
            Scope = session.Scope,
            Source = ModelEnum.From<Models.OidcLoginSource>(result.Source),
            Path = result.Path,
            IdToken = asPlainText ? session.Tokens.IdToken : SecretText.ToSecureString(session.Tokens.IdToken),
            AccessToken = session.Tokens.AccessToken == null ? null
                : asPlainText ? session.Tokens.AccessToken : SecretText.ToSecureString(session.Tokens.AccessToken),
        };
    }

    public static SavedLoginInfo ToInfo(SavedLogin login, DateTimeOffset now) => new()
    {
        Kind = login.Kind,
        Issuer = login.Issuer,
        ClientId = login.ClientId,
        Scope = login.Scope,
        Subject = login.Subject,
        Email = login.Email,
        IdTokenExpiresOn = login.IdTokenExpiresAt?.UtcDateTime,
        AccessTokenExpiresOn = login.AccessTokenExpiresAt?.UtcDateTime,
        ExpiresOn = login.ExpiresAt?.UtcDateTime,
        IsExpired = login.ExpiresAt is { } e && e <= now,
        CanRefresh = login.CanRefresh,
        Path = login.Path,
        CachePath = login.CachePath,
    };
}
