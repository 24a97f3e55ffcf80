using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator;

/// <summary>What is wrong, on purpose, with the next ID token the provider issues.</summary>
public enum IdTokenDefect
{
    None,
    WrongAudience,
    WrongIssuer,
    BadSignature,
    Expired,
    /// <summary>Signed with a key whose kid the provider does not publish.</summary>
    UnknownKey,
    /// <summary>alg "none" and no signature.</summary>
    AlgNone,
    /// <summary>A header claiming HS256 (a shared-secret algorithm a public client cannot verify).</summary>
    Hs256,
    /// <summary>Two audiences and no azp (OIDC Core 3.1.3.7 requires azp then).</summary>
    MultiAudienceNoAzp,
    /// <summary>Two audiences with azp = the client: valid.</summary>
    MultiAudienceWithAzp,
}

/// <summary>
/// A small OpenID Connect provider (docs/protocol.md 2.3): device authorization grant (RFC 8628),
/// authorization code with PKCE (S256), refresh tokens, RS256 ID tokens. Tests drive the person's
/// side (approve, deny, slow down) and order defective ID tokens.
/// </summary>
public sealed class OidcProviderStore : IDisposable
{
    private readonly Func<DateTimeOffset> _now;
    private readonly ConcurrentDictionary<string, DeviceAuthorization> _byDeviceCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeviceAuthorization> _byUserCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);

    public OidcProviderStore(Func<DateTimeOffset> now)
    {
        _now = now;
    }

    public JwtSigner Signer { get; private set; } = new("oidc-key-1");
    private readonly List<JwtSigner> _retired = new();
    /// <summary>Signs with a kid that is never published.</summary>
    public JwtSigner UnpublishedSigner { get; } = new("oidc-key-unpublished");
    /// <summary>Times the JWKS was read (a client refetches once for an unknown kid).</summary>
    public int JwksReads;
    /// <summary>Key rotation: tokens are signed with a new key from now on; the old keys stay published, as providers do.</summary>
    public void RotateSigningKey()
    {
        _retired.Add(Signer);
        Signer = new JwtSigner("oidc-key-" + (_retired.Count + 1));
    }

    /// <summary>The published keys: the current one and the retired ones.</summary>
    public JsonObject Jwks()
    {
        var keys = new JsonArray();
        foreach (var signer in _retired.Append(Signer))
            foreach (var key in signer.Jwks()["keys"]!.AsArray()) keys.Add(key!.DeepClone());
        return new JsonObject { ["keys"] = keys };
    }

    /// <summary>The lifetime of access tokens (expires_in); null: the ID token's lifetime.</summary>
    public TimeSpan? AccessTokenLifetime { get; set; }
    /// <summary>RFC 9207: advertise authorization_response_iss_parameter_supported and send iss on authorization answers.</summary>
    public bool AdvertiseIss { get; set; }
    /// <summary>Send this iss on the authorization answer instead of the issuer (a mix-up).</summary>
    public string? TamperIss { get; set; }
    /// <summary>A key the provider does not publish: tokens signed with it must be refused.</summary>
    public JwtSigner RogueSigner { get; } = new("oidc-key-1");
    public HashSet<string> Clients { get; } = new(StringComparer.Ordinal) { "naraauth-cli" };
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>The interval sent with a device code; null sends none (the client then uses 5 s).</summary>
    public int? Interval { get; set; } = 1;
    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public bool IssueRefreshTokens { get; set; } = true;
    /// <summary>Like a standard provider: a refresh token only when offline_access was asked for.</summary>
    public bool RequireOfflineAccess { get; set; }
    public string DefaultSubject { get; set; } = "ada";
    public string DefaultEmail { get; set; } = "ada@example.com";
    /// <summary>Applies to the next ID token only, then resets.</summary>
    public IdTokenDefect NextIdTokenDefect { get; set; }
    /// <summary>Approve device codes and authorization requests without a person.</summary>
    public bool AutoApprove { get; set; }
    /// <summary>Send the browser back with this state instead of the client's (tests the client's check).</summary>
    public string? TamperState { get; set; }
    /// <summary>Times each device code was polled at the token endpoint.</summary>
    public ConcurrentQueue<DateTimeOffset> DevicePolls { get; } = new();
    public int RefreshCount;
    /// <summary>The last PKCE code_verifier presented at the token endpoint (tests check it never leaks).</summary>
    public string? LastCodeVerifier { get; private set; }
    /// <summary>The last refresh token issued.</summary>
    public string? LastRefreshToken { get; private set; }
    /// <summary>The last authorization request's query (prompt, code_challenge_method, ...).</summary>
    public IReadOnlyDictionary<string, string>? LastAuthorizeQuery { get; set; }
    /// <summary>Raised when a device code is issued, so a test can play the person.</summary>
    public event Action<DeviceAuthorization>? DeviceCodeIssued;

    public DeviceAuthorization IssueDeviceCode(string clientId, string scope)
    {
        var auth = new DeviceAuthorization(Random("dc_", 32), UserCode(), clientId, scope, _now() + DeviceCodeLifetime);
        if (AutoApprove) auth.Approve(DefaultSubject, DefaultEmail);
        _byDeviceCode[auth.DeviceCode] = auth;
        _byUserCode[auth.UserCode] = auth;
        DeviceCodeIssued?.Invoke(auth);
        return auth;
    }

    public DeviceAuthorization? ByUserCode(string userCode) => _byUserCode.TryGetValue(userCode, out var a) ? a : null;
    public DeviceAuthorization? ByDeviceCode(string deviceCode) => _byDeviceCode.TryGetValue(deviceCode, out var a) ? a : null;

    public string IssueCode(string clientId, string redirectUri, string challenge, string? nonce, string subject, string email, string scope = "")
    {
        var code = Random("ac_", 24);
        _codes[code] = new AuthorizationCode(clientId, redirectUri, challenge, nonce, subject, email, _now() + TimeSpan.FromMinutes(2), scope);
        return code;
    }

    /// <summary>The scope the authorization request of a code asked for (RFC 6749 4.1.3: the token request carries none).</summary>
    public string ScopeOf(string code) => _codes.TryGetValue(code, out var c) ? c.Scope : string.Empty;

    /// <summary>Redeems an authorization code once; the error is the OAuth error code, or null.</summary>
    public (Identity? Who, string? Error) RedeemCode(string code, string clientId, string redirectUri, string verifier)
    {
        if (!_codes.TryRemove(code, out var c) || c.ExpiresAt < _now() || c.ClientId != clientId) return (null, "invalid_grant");
        // RFC 6749 4.1.3: the same redirect_uri as in the authorization request (compared as URIs).
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var given) || new Uri(c.RedirectUri) != given) return (null, "invalid_grant");
        LastCodeVerifier = verifier;
        var computed = JwtSigner.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (computed != c.Challenge) return (null, "invalid_grant");
        return (new Identity(c.Subject, c.Email, c.Nonce), null);
    }

    public string? RememberRefresh(string clientId, Identity who, string scope)
    {
        if (!IssueRefreshTokens) return null;
        if (RequireOfflineAccess && !scope.Split(' ').Contains("offline_access")) return null;
        var token = Random("rt_", 32);
        LastRefreshToken = token;
        _refreshTokens[token] = new RefreshGrant(clientId, who with { Nonce = null }, scope);
        return token;
    }

    /// <summary>Uses a refresh token (rotated: the old one stops working).</summary>
    public RefreshGrant? Refresh(string token, string clientId)
    {
        Interlocked.Increment(ref RefreshCount);
        return _refreshTokens.TryRemove(token, out var g) && g.ClientId == clientId ? g : null;
    }

    /// <summary>Every revocation received: (token type hint, client id, whether the token was a live refresh token).</summary>
    public ConcurrentQueue<(string Hint, string ClientId, bool WasRefreshToken)> Revocations { get; } = new();

    /// <summary>Every RP-initiated logout received: (client id, whether an id_token_hint came with it).</summary>
    public ConcurrentQueue<(string ClientId, bool HadIdTokenHint)> EndedSessions { get; } = new();

    /// <summary>RFC 7009 2.1: a refresh token of another client is not revoked.</summary>
    public void Revoke(string token, string hint, string clientId)
    {
        var known = _refreshTokens.TryGetValue(token, out var g) && g.ClientId == clientId;
        if (known) _refreshTokens.TryRemove(token, out _);
        Revocations.Enqueue((hint, clientId, known));
    }

    public void EndSession(string idTokenHint, string clientId) => EndedSessions.Enqueue((clientId, idTokenHint.Length > 0));

    public void RevokeAllRefreshTokens() => _refreshTokens.Clear();

    public string MintIdToken(string issuer, string clientId, Identity who)
    {
        var defect = NextIdTokenDefect;
        NextIdTokenDefect = IdTokenDefect.None;
        var now = _now();
        var multi = defect is IdTokenDefect.MultiAudienceNoAzp or IdTokenDefect.MultiAudienceWithAzp;
        var payload = new JsonObject
        {
            ["iss"] = defect == IdTokenDefect.WrongIssuer ? "https://impostor.example.com/" : issuer,
            ["sub"] = who.Subject,
            ["aud"] = defect == IdTokenDefect.WrongAudience ? "someone-else" : multi ? new JsonArray(clientId, "another-api") : clientId,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (defect == IdTokenDefect.Expired ? now - TimeSpan.FromHours(1) : now + IdTokenLifetime).ToUnixTimeSeconds(),
            ["email"] = who.Email,
            ["name"] = who.Subject,
        };
        if (who.Nonce != null) payload["nonce"] = who.Nonce;
        if (defect == IdTokenDefect.MultiAudienceWithAzp) payload["azp"] = clientId;
        return defect switch
        {
            IdTokenDefect.BadSignature => RogueSigner.Sign(payload),
            IdTokenDefect.UnknownKey => UnpublishedSigner.Sign(payload),
            IdTokenDefect.AlgNone => Signer.Sign(payload, "none"),
            IdTokenDefect.Hs256 => Signer.Sign(payload, "HS256"),
            _ => Signer.Sign(payload),
        };
    }

    public string MintAccessToken(string issuer, string clientId, Identity who, string scope)
    {
        var now = _now();
        return Signer.Sign(new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = who.Subject,
            ["aud"] = clientId,
            ["scope"] = scope,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (AccessTokenLifetime ?? IdTokenLifetime)).ToUnixTimeSeconds(),
        });
    }

    private static string UserCode()
    {
        const string letters = "BCDFGHJKLMNPQRSTVWXZ";
        var bytes = RandomNumberGenerator.GetBytes(8);
        var chars = bytes.Select(b => letters[b % letters.Length]).ToArray();
        return new string(chars, 0, 4) + "-" + new string(chars, 4, 4);
    }

    private static string Random(string prefix, int bytes) => prefix + JwtSigner.Base64Url(RandomNumberGenerator.GetBytes(bytes));

    public void Dispose()
    {
        foreach (var retired in _retired) retired.Dispose();
        UnpublishedSigner.Dispose();
        Signer.Dispose();
        RogueSigner.Dispose();
    }

    public sealed record Identity(string Subject, string Email, string? Nonce);
    public sealed record RefreshGrant(string ClientId, Identity Who, string Scope);
    private sealed record AuthorizationCode(string ClientId, string RedirectUri, string Challenge, string? Nonce, string Subject, string Email, DateTimeOffset ExpiresAt, string Scope);

    public sealed class DeviceAuthorization
    {
        public DeviceAuthorization(string deviceCode, string userCode, string clientId, string scope, DateTimeOffset expiresAt)
        {
            DeviceCode = deviceCode;
            UserCode = userCode;
            ClientId = clientId;
            Scope = scope;
            ExpiresAt = expiresAt;
        }

        public string DeviceCode { get; }
        public string UserCode { get; }
        public string ClientId { get; }
        public string Scope { get; }
        public DateTimeOffset ExpiresAt { get; set; }
        public Identity? ApprovedAs { get; private set; }
        public bool Denied { get; private set; }
        public bool Redeemed { get; set; }
        /// <summary>Answer slow_down to this many further polls.</summary>
        public int SlowDowns { get; set; }

        public void Approve(string subject, string email) => ApprovedAs = new Identity(subject, email, null);
        public void Deny() => Denied = true;
    }
}
