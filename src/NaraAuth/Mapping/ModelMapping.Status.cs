using NaraAuth.Core.Status;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    public static CredentialStatusInfo ToInfo(CredentialStatus status) => new()
    {
        Kind = ModelEnum.From<Models.CredentialKind>(status.Kind),
        State = ModelEnum.From<Models.CredentialState>(status.State),
        Subject = status.Subject,
        Email = status.Email,
        Organization = status.Organization,
        Issuer = status.Issuer,
        ExpiresOn = status.ExpiresAt,
        Path = status.Path,
        FoundBy = status.FoundBy,
        Owner = status.Owner,
        OwnerMatchesRuntimeAccount = status.OwnerMatchesRuntimeAccount,
        IsProtected = status.IsProtected,
        VerifiedOnline = status.VerifiedOnline,
        Problem = status.Problem,
        Action = status.Action,
    };
}
