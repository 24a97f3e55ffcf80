using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace NaraAuth.Emulator;

/// <summary>Which bearers EdgePlane accepts (its AUTH_MODE): mcs_ tokens, OIDC JWTs from its identity provider, or both.</summary>
public enum EdgePlaneAuthMode
{
    Token,
    Oidc,
    Dual,
}

/// <summary>EdgePlane's CLI logins, one-time grants, sessions and service accounts (docs/protocol.md 2.1, 2.2, 2.4).</summary>
public sealed class EdgePlaneStore
{
    private readonly Func<DateTimeOffset> _now;
    private readonly ConcurrentDictionary<string, CliLogin> _logins = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EdgePlaneSessionRecord> _sessions = new(StringComparer.Ordinal);
    private long _nextSessionId;

    public EdgePlaneStore(Func<DateTimeOffset> now)
    {
        _now = now;
    }

    /// <summary>How long a cli-initiate stays valid (the person's time to log in).</summary>
    public TimeSpan LoginLifetime { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Session lifetime when the client asks for no ttl_hours.</summary>
    public TimeSpan DefaultSessionLifetime { get; set; } = TimeSpan.FromHours(12);
    public string DefaultSubject { get; set; } = "ada";
    public string DefaultEmail { get; set; } = "ada@example.com";
    public HashSet<string> AdminSubjects { get; } = new(StringComparer.Ordinal) { "admin" };
    /// <summary>The ttl_hours of the last exchange (null when none was sent).</summary>
    public int? LastTtlHours { get; private set; }
    public int ExchangeCount;
    /// <summary>AUTH_MODE: token (the default) accepts only mcs_ tokens, oidc only JWTs of <see cref="OidcIssuer"/>, dual both.</summary>
    public EdgePlaneAuthMode AuthMode { get; set; } = EdgePlaneAuthMode.Token;
    /// <summary>The identity provider whose JWTs are accepted; null: the emulator's own provider (its /oidc on the origin the request came to).</summary>
    public string? OidcIssuer { get; set; }
    /// <summary>The audience an accepted JWT must name (aud).</summary>
    public string OidcAudience { get; set; } = DefaultOidcAudience;
    public const string DefaultOidcAudience = "naraauth-cli";
    /// <summary>Service-account lifetime when the mint asks for none: long-lived, as for CI pipelines.</summary>
    public TimeSpan ServiceAccountLifetime { get; set; } = TimeSpan.FromDays(365);
    /// <summary>Raised on each cli-initiate, so a test can play the person who logs in.</summary>
    public event Action<CliLogin>? Initiated;

    public CliLogin Initiate()
    {
        var login = new CliLogin(Random("cn_"), _now() + LoginLifetime);
        _logins[login.Nonce] = login;
        Initiated?.Invoke(login);
        return login;
    }

    public CliLogin? Login(string nonce) => _logins.TryGetValue(nonce, out var login) ? login : null;

    /// <summary>What the login page does when the person logs in: a one-time grant for the login.</summary>
    public string? Complete(string nonce, string? subject = null, string? email = null)
    {
        if (!_logins.TryGetValue(nonce, out var login) || login.ExpiresAt <= _now()) return null;
        lock (login)
        {
            if (login.GrantId != null) return login.GrantId;
            var grant = new Grant(Random("olg_"), subject ?? DefaultSubject, email ?? DefaultEmail);
            _grants[grant.Id] = grant;
            login.GrantId = grant.Id;
            return grant.Id;
        }
    }

    /// <summary>A grant works once; the second exchange gets null (invalid_grant).</summary>
    public EdgePlaneSessionRecord? Exchange(string grantId, int? ttlHours)
    {
        Interlocked.Increment(ref ExchangeCount);
        if (!_grants.TryRemove(grantId, out var grant)) return null;
        LastTtlHours = ttlHours;
        var lifetime = ttlHours is { } h ? TimeSpan.FromHours(h) : DefaultSessionLifetime;
        var session = new EdgePlaneSessionRecord(Random("mcs_"), grant.Subject, grant.Email, _now() + lifetime,
            Interlocked.Increment(ref _nextSessionId), AdminSubjects.Contains(grant.Subject));
        _sessions[session.Token] = session;
        return session;
    }

    /// <summary>The live session for a bearer token, or null when unknown, revoked or expired.</summary>
    public EdgePlaneSessionRecord? Session(string token) =>
        _sessions.TryGetValue(token, out var s) && !s.Revoked && s.ExpiresAt > _now() ? s : null;

    /// <summary>A service-account token (mcs_sa_...) as an EdgePlane administrator would issue one for a pipeline.</summary>
    public EdgePlaneSessionRecord MintServiceAccount(string name, TimeSpan? lifetime = null)
    {
        var record = new EdgePlaneSessionRecord(Random("mcs_sa_"), name, null, _now() + (lifetime ?? ServiceAccountLifetime),
            Interlocked.Increment(ref _nextSessionId), false) { IsServiceAccount = true };
        _sessions[record.Token] = record;
        return record;
    }

    /// <summary>The projects of the emulated EdgePlane API (/api/projects), for authenticated calls.</summary>
    public ConcurrentDictionary<long, EdgePlaneProject> Projects { get; } = new();
    private long _nextProjectId;

    public EdgePlaneProject CreateProject(string name, string createdBy)
    {
        var project = new EdgePlaneProject(Interlocked.Increment(ref _nextProjectId), name, createdBy, _now());
        Projects[project.Id] = project;
        return project;
    }

    public bool Revoke(long sessionId)
    {
        var found = false;
        foreach (var s in _sessions.Values)
            if (s.SessionId == sessionId) { s.Revoked = true; found = true; }
        return found;
    }

    private static string Random(string prefix) =>
        prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public sealed class CliLogin
    {
        public CliLogin(string nonce, DateTimeOffset expiresAt)
        {
            Nonce = nonce;
            ExpiresAt = expiresAt;
        }

        public string Nonce { get; }
        public DateTimeOffset ExpiresAt { get; }
        public string? GrantId { get; set; }
    }

    private sealed record Grant(string Id, string Subject, string Email);
}

public sealed record EdgePlaneProject(long Id, string Name, string CreatedBy, DateTimeOffset CreatedAt);

public sealed class EdgePlaneSessionRecord
{
    public EdgePlaneSessionRecord(string token, string subject, string? email, DateTimeOffset expiresAt, long sessionId, bool isAdmin)
    {
        Token = token;
        Subject = subject;
        Email = email;
        ExpiresAt = expiresAt;
        SessionId = sessionId;
        IsAdmin = isAdmin;
    }

    public string Token { get; }
    public string Subject { get; }
    public string? Email { get; }
    public DateTimeOffset ExpiresAt { get; }
    public long SessionId { get; }
    public bool IsAdmin { get; }
    public bool Revoked { get; set; }
    /// <summary>A service account's token (mcs_sa_...), not a person's CLI session.</summary>
    public bool IsServiceAccount { get; init; }
}
