using System;
using System.Collections.Generic;
using System.Linq;

namespace NaraAuth.Core.Platform;

/// <summary>
/// Which server tokens a review selects: the platform's guidance is to rotate tokens on a schedule
/// and to revoke tokens nobody uses. A token the platform never saw used counts as not used.
/// </summary>
public static class ServerTokenReview
{
    /// <summary>
    /// True when the token passes both filters: not used since <paramref name="notUsedSince"/>
    /// (never used counts as not used) and created before <paramref name="createdBefore"/>. A null
    /// filter selects everything. A token without a creation time is never "created before":
    /// nothing is revoked on a guess.
    /// </summary>
    public static bool Matches(ServerTokenRecord token, DateTimeOffset? notUsedSince, DateTimeOffset? createdBefore)
    {
        if (notUsedSince is { } since && token.LastUsedAt is { } used && used >= since) return false;
        if (createdBefore is { } before && !(token.CreatedAt is { } created && created < before)) return false;
        return true;
    }

    /// <summary>Tokens older than <paramref name="rotationAge"/> at <paramref name="now"/>, oldest first: due for Reset-ServerToken.</summary>
    public static IReadOnlyList<ServerTokenRecord> DueForRotation(IEnumerable<ServerTokenRecord> tokens, TimeSpan rotationAge, DateTimeOffset now) =>
        tokens.Where(t => Matches(t, null, now - rotationAge)).OrderBy(t => t.CreatedAt).ToList();
}
