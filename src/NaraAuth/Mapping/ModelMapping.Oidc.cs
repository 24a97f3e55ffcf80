using System;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Sessions;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    public static OidcSessionInfoBase ToInfo(OidcLoginResult result, bool asPlainText)
    {
        var session = result.Session;
        var tokens = session.Tokens;
        OidcSessionInfoBase info = asPlainText
            ? new OidcSessionPlainTextInfo { IdToken = tokens.IdToken, AccessToken = tokens.AccessToken }
            : new OidcSessionInfo
            {
                IdToken = tokens.IdToken == null ? null : SecretText.ToSecureString(tokens.IdToken),
                AccessToken = tokens.AccessToken == null ? null : SecretText.ToSecureString(tokens.AccessToken),
            };
        info.Subject = session.Identity.Subject;
        info.Email = session.Identity.Email;
        info.Name = session.Identity.Name;
        info.ExpiresOn = session.ExpiresAt?.ToUniversalTime();
        info.IdTokenExpiresOn = session.Identity.ExpiresAt?.ToUniversalTime();
        info.AccessTokenExpiresOn = tokens.AccessTokenExpiresAt?.ToUniversalTime();
        info.Issuer = session.Issuer;
        info.ClientId = session.ClientId;
        info.Scope = session.Scope;
        info.Source = ModelEnum.From<Models.OidcLoginSource>(result.Source);
        info.Path = result.Path;
        info.ClientCredential = session.Grant?.Description;
        return info;
    }

    public static SavedLoginInfo ToInfo(SavedLogin login, DateTimeOffset now) => new()
    {
        Kind = ModelEnum.From<Models.CredentialKind>(login.Kind),
        Issuer = login.Issuer,
        ClientId = login.ClientId,
        Scope = login.Scope,
        Subject = login.Subject,
        Email = login.Email,
        IdTokenExpiresOn = login.IdTokenExpiresAt?.ToUniversalTime(),
        AccessTokenExpiresOn = login.AccessTokenExpiresAt?.ToUniversalTime(),
        ExpiresOn = login.ExpiresAt?.ToUniversalTime(),
        IsExpired = login.ExpiresAt is { } e && e <= now,
        CanRefresh = login.CanRefresh,
        ClientCredential = login.ClientCredential,
        Path = login.Path,
        CachePath = login.CachePath,
    };
}
