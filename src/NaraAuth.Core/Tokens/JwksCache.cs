using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Tokens;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Tokens;

/// <summary>
/// The platform's signing keys, fetched from /.well-known/jwks.json and kept per base URL for a
/// while, so repeated cmdlet calls in one session do not refetch them. An unknown key id forces
/// one refetch (the platform may have rotated its key), and so does a signature that does not
/// verify with a cached key (a platform restarted with a new key under an old id). Only the latter,
/// refetches caused by failed signatures, are limited to one per <see cref="MinimumRefreshInterval"/>
/// (counted from the last such refetch, not from any fetch), so a forged token cannot make every
/// call hammer the platform, while a key rotated just after an ordinary fetch is still picked up.
/// </summary>
public sealed class JwksCache
{
    public static readonly JwksCache Shared = new(SystemClock.Instance);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>The shortest time between two refetches that failed verifications cause.</summary>
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastForcedRefresh = new(StringComparer.OrdinalIgnoreCase);
    private readonly IClock _clock;

    public JwksCache(IClock clock)
    {
        _clock = clock;
    }

    /// <summary>The key set, or null when the platform has no JWKS endpoint (404).</summary>
    public async Task<JsonWebKeySet?> GetAsync(ApiClient client, string? wantedKeyId, CancellationToken cancellationToken)
    {
        var key = client.BaseUrl.ToString();
        if (_entries.TryGetValue(key, out var entry) && _clock.UtcNow - entry.FetchedAt < Lifetime
            && (wantedKeyId == null || entry.Keys == null || HasKey(entry.Keys, wantedKeyId)))
        {
            return entry.Keys;
        }

        return await FetchAsync(client, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches the keys again after a signature failed with cached ones; null when the cached keys
    /// fetch for a failed signature is less than <see cref="MinimumRefreshInterval"/> ago (then the
    /// failure stands). An ordinary fetch (first use, expiry, unknown key id) does not count.
    /// </summary>
    public async Task<JsonWebKeySet?> RefreshAsync(ApiClient client, CancellationToken cancellationToken)
    {
        var key = client.BaseUrl.ToString();
        var now = _clock.UtcNow;
        if (_lastForcedRefresh.TryGetValue(key, out var last) && now - last < MinimumRefreshInterval)
            return null;
        _lastForcedRefresh[key] = now;
        return await FetchAsync(client, key, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonWebKeySet?> FetchAsync(ApiClient client, string key, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(new ApiRequest(HttpMethod.Get, "/.well-known/jwks.json"), cancellationToken).ConfigureAwait(false);
        JsonWebKeySet? keys = null;
        if (response.StatusCode != 404)
        {
            response.EnsureSuccess("read the platform's signing keys");
            try
            {
                keys = new JsonWebKeySet(response.Body);
            }
            catch (ArgumentException)
            {
                throw new Errors.NaraAuthException("MalformedJwks", Errors.NaraErrorCategory.ProtocolError,
                    "The platform's signing keys (/.well-known/jwks.json) are not a valid JSON Web Key Set.", null, key);
            }
        }
        _entries[key] = new Entry(keys, _clock.UtcNow);
        return keys;
    }

    private static bool HasKey(JsonWebKeySet keys, string keyId)
    {
        foreach (var k in keys.Keys)
            if (string.Equals(k.Kid, keyId, StringComparison.Ordinal)) return true;
        return false;
    }

    private sealed class Entry
    {
        public Entry(JsonWebKeySet? keys, DateTimeOffset fetchedAt)
        {
            Keys = keys;
            FetchedAt = fetchedAt;
        }

        public JsonWebKeySet? Keys { get; }
        public DateTimeOffset FetchedAt { get; }
    }
}
