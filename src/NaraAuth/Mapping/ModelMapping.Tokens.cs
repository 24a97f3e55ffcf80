using System;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Worker;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    /// <param name="organizationName">The platform's name for the organization when -Verify asked it, else the token's own claim.</param>
    public static AuthTokenInfoBase ToInfo(StoredTokenCheck check, bool asPlainText)
    {
        var stored = check.Stored;
        var location = stored.Location;
        var now = check.CheckedAt;
        var jwt = stored.Jwt;
        AuthTokenInfoBase info = asPlainText
            ? new AuthTokenPlainTextInfo { Token = jwt.Raw }
            : new AuthTokenInfo { Token = SecretText.ToSecureString(jwt.Raw) };
        info.Path = location.Path;
        info.Source = ModelEnum.From<TokenFileSource>(location.Source);
        info.Subject = jwt.Subject;
        info.Email = jwt.Email;
        info.Organization = jwt.Organization;
        info.OrganizationName = check.OrganizationName;
        info.Role = jwt.Role;
        info.Issuer = jwt.Issuer;
        info.IssuedOn = jwt.IssuedAt?.ToUniversalTime();
        info.ExpiresOn = jwt.ExpiresAt?.ToUniversalTime();
        info.ExpiresIn = jwt.ExpiresAt - now;
        info.IsExpired = jwt.IsExpired(now, TimeSpan.Zero);
        info.SavedAt = stored.File.SavedAt?.ToUniversalTime();
        info.SignatureVerified = check.SignatureVerified;
        info.Owner = check.Owner?.Name;
        info.OwnerMatchesRuntimeAccount = check.OwnerMatchesRuntimeAccount;
        return info;
    }

    public static WorkerTokenInfoBase ToInfo(WorkerTokenResult result, bool asPlainText)
    {
        WorkerTokenInfoBase info = asPlainText
            ? new WorkerTokenPlainTextInfo { Token = result.Token }
            : new WorkerTokenInfo { Token = SecretText.ToSecureString(result.Token) };
        info.Source = ModelEnum.From<Models.WorkerTokenSource>(result.Source);
        info.ConfigPath = result.ConfigPath;
        return info;
    }

    public static WorkerTokenRotationResultBase ToResult(WorkerTokenRotation rotation, DateTimeOffset rotatedAt, bool asPlainText)
    {
        WorkerTokenRotationResultBase result = asPlainText
            ? new WorkerTokenRotationPlainTextResult { Token = rotation.Token, PreviousToken = rotation.PreviousToken }
            : new WorkerTokenRotationResult
            {
                Token = SecretText.ToSecureString(rotation.Token),
                PreviousToken = rotation.PreviousToken == null ? null : SecretText.ToSecureString(rotation.PreviousToken),
            };
        result.ConfigPath = rotation.ConfigPath;
        result.RotatedAt = rotatedAt.ToUniversalTime();
        result.EnvironmentOverrides = rotation.EnvironmentOverrides;
        return result;
    }
}
