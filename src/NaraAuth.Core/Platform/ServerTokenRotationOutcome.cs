using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Platform;

/// <summary>What a rotation did: the replacement (always, its secret shown once) and, when the old token could not be revoked, why.</summary>
public sealed class ServerTokenRotationOutcome
{
    public ServerTokenRotationOutcome(ServerTokenRecord replaced, CreatedServerToken replacement, NaraAuthException? revokeFailure)
    {
        Replaced = replaced;
        Replacement = replacement;
        RevokeFailure = revokeFailure;
    }

    public ServerTokenRecord Replaced { get; }
    public CreatedServerToken Replacement { get; }
    /// <summary>Null when the old token is revoked.</summary>
    public NaraAuthException? RevokeFailure { get; }
}
