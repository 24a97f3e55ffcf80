using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Platform;

/// <summary>
/// Replaces a server token: the replacement is created under the same name first, and only then is
/// the old one revoked, so a failed create leaves the old token working and nothing revoked. The
/// create is sent once (a retry after a lost answer could make a second token); the revoke is a
/// DELETE, retried within the HTTP path's bounds.
/// </summary>
public static class ServerTokenRotation
{
    public static async Task<ServerTokenRotationOutcome> RotateAsync(PlatformClient client, ServerTokenRecord old, CancellationToken cancellationToken)
    {
        var replacement = await client.CreateServerTokenAsync(old.Name, retryUnsafe: false, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.RevokeServerTokenAsync(old.Id, cancellationToken).ConfigureAwait(false);
            return new ServerTokenRotationOutcome(old, replacement, null);
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.ServerTokenNotFound)
        {
            // Revoked by someone else in between: the old token is gone, which is what was wanted.
            return new ServerTokenRotationOutcome(old, replacement, null);
        }
        catch (NaraAuthException e)
        {
            return new ServerTokenRotationOutcome(old, replacement, OldTokenStillLive(old, replacement, e));
        }
    }

    /// <summary>The replacement exists (and is returned), but the old token still works: say which one, so it can be revoked by hand.</summary>
    public static NaraAuthException OldTokenStillLive(ServerTokenRecord old, CreatedServerToken replacement, NaraAuthException cause) =>
        new("ServerTokenRotationIncomplete", cause.Category,
            $"The replacement server token '{replacement.Name}' ({replacement.Id}) was created and is returned, but the old token {old.Id} is still live: revoking it failed: {cause.Message}",
            $"Store the new token now, then revoke the old one: Revoke-ServerToken -Id {old.Id}", old.Id, cause);
}

