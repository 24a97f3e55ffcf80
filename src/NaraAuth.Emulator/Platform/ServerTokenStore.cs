using System.Security.Cryptography;

namespace NaraAuth.Emulator.Platform;

/// <summary>One server token as the emulated platform keeps it (docs/protocol.md 1.6).</summary>
public sealed class StoredServerToken
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Organization { get; init; }
    public required string Secret { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public bool Revoked { get; set; }
}

/// <summary>
/// Server tokens per organization. Counts creations so a test can prove a create that lost its
/// answer was not sent a second time.
/// </summary>
public sealed class ServerTokenStore
{
    private readonly object _gate = new();
    private readonly List<StoredServerToken> _tokens = new();
    private int _nextId;
    private int _creations;

    public const string SecretPrefix = "nara_tk_";

    /// <summary>How many tokens POST /api/tokens has created since the last <see cref="Clear"/>.</summary>
    public int CreationCount
    {
        get { lock (_gate) return _creations; }
    }

    public StoredServerToken Create(string organization, string name, DateTimeOffset now)
    {
        var token = NewToken(organization, name, now);
        lock (_gate)
        {
            _tokens.Add(token);
            _creations++;
        }
        return token;
    }

    private StoredServerToken NewToken(string organization, string name, DateTimeOffset createdAt) => new()
    {
        Id = "tok_" + Interlocked.Increment(ref _nextId),
        Name = name,
        Organization = organization,
        Secret = SecretPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant(),
        CreatedAt = createdAt,
    };

    /// <summary>Active (not revoked) tokens of an organization, oldest first.</summary>
    public IReadOnlyList<StoredServerToken> List(string organization)
    {
        lock (_gate) return _tokens.Where(t => t.Organization == organization && !t.Revoked).ToList();
    }

    /// <summary>False when the id is unknown (or already revoked) in that organization.</summary>
    public bool Revoke(string organization, string id)
    {
        lock (_gate)
        {
            var token = _tokens.FirstOrDefault(t => t.Id == id && t.Organization == organization && !t.Revoked);
            if (token == null) return false;
            token.Revoked = true;
            return true;
        }
    }

    /// <summary>The active token with this secret, marked as used now; null when unknown or revoked.</summary>
    public StoredServerToken? Use(string secret, DateTimeOffset now)
    {
        lock (_gate)
        {
            var token = _tokens.FirstOrDefault(t => !t.Revoked && CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(t.Secret), System.Text.Encoding.UTF8.GetBytes(secret)));
            if (token != null) token.LastUsedAt = now;
            return token;
        }
    }

    /// <summary>Seeds a token directly (tests arrange lists without going through HTTP).</summary>
    public StoredServerToken Add(string organization, string name, DateTimeOffset createdAt, DateTimeOffset? lastUsedAt = null)
    {
        var token = NewToken(organization, name, createdAt);
        token.LastUsedAt = lastUsedAt;
        lock (_gate) _tokens.Add(token);
        return token;
    }

    public void Clear()
    {
        lock (_gate)
        {
            _tokens.Clear();
            _creations = 0;
        }
    }
}
