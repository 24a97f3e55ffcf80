using System;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Worker;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    /// <param name="organizationName">The platform's name for the organization when -Verify asked it, else the token's own claim.</param>
    public static AuthTokenInfo ToInfo(StoredToken stored, TokenLocation location, DateTimeOffset now, string? organizationName, bool signatureVerified, string? owner, bool? ownerMatchesRuntimeAccount)
    {
        var jwt = stored.Jwt;
        return new AuthTokenInfo
        {
            Path = location.Path,
            Source = ModelEnum.From<TokenFileSource>(location.Source),
            Subject = jwt.Subject,
            Email = jwt.Email,
            Organization = jwt.Organization,
            OrganizationName = organizationName,
            Role = jwt.Role,
            Issuer = jwt.Issuer,
            IssuedOn = jwt.IssuedAt?.UtcDateTime,
            ExpiresOn = jwt.ExpiresAt?.UtcDateTime,
            ExpiresIn = jwt.ExpiresAt - now,
            IsExpired = jwt.IsExpired(now, TimeSpan.Zero),
            SavedAt = stored.File.SavedAt?.UtcDateTime,
            SignatureVerified = signatureVerified,
            Owner = owner,
            OwnerMatchesRuntimeAccount = ownerMatchesRuntimeAccount,
            Token = SecretText.ToSecureString(jwt.Raw),
        };
    }

    public static WorkerTokenInfo ToInfo(WorkerTokenResult result) => new()
    {
        Source = ModelEnum.From<Models.WorkerTokenSource>(result.Source),
        ConfigPath = result.ConfigPath,
        Token = SecretText.ToSecureString(result.Token),
    };

    public static WorkerTokenRotationResult ToResult(WorkerTokenRotation rotation, DateTimeOffset rotatedAt, bool asPlainText) => new()
    {
        ConfigPath = rotation.ConfigPath,
        Token = asPlainText ? rotation.Token : SecretText.ToSecureString(rotation.Token),
        PreviousToken = rotation.PreviousToken == null ? null : asPlainText ? rotation.PreviousToken : SecretText.ToSecureString(rotation.PreviousToken),
        RotatedAt = rotatedAt.UtcDateTime,
        EnvironmentOverrides = rotation.EnvironmentOverrides,
    };
}
