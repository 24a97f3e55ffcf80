using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NaraAuth.Emulator.Endpoints;

namespace NaraAuth.Emulator.Infrastructure;

/// <summary>Who called EdgePlane, and with what.</summary>
public sealed record EdgePlaneCaller(string Subject, string? Email, DateTimeOffset? ExpiresAt, long? SessionId, bool IsAdmin, string AuthMethod);

/// <summary>
/// EdgePlane's bearer check under its AUTH_MODE (docs/protocol.md 2.4): in token mode mcs_
/// session and service-account tokens, in oidc mode JWTs of the configured identity provider
/// (RS256 signature against the keys its discovery document's jwks_uri publishes, iss equal to
/// the issuer, aud naming the audience, exp and nbf), in dual mode either. Written here rather
/// than taken from the module, so the module is checked against a validator it does not share.
/// </summary>
public sealed class EdgePlaneAuthenticator
{
    private readonly EdgePlaneStore _store;
    private readonly Func<DateTimeOffset> _now;
    private readonly ConcurrentDictionary<string, JsonArray> _keysByIssuer = new(StringComparer.Ordinal);

    public EdgePlaneAuthenticator(EdgePlaneStore store, Func<DateTimeOffset> now)
    {
        _store = store;
        _now = now;
    }

    /// <summary>Fetches discovery and JWKS; tests of an https issuer with their own certificate replace it.</summary>
    public HttpClient IssuerClient { get; set; } = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <returns>The caller, or null with the reason EdgePlane gives in its 401.</returns>
    public async Task<(EdgePlaneCaller? Caller, string? Failure)> AuthenticateAsync(HttpContext context)
    {
        var bearer = BearerAuth.BearerOf(context);
        if (bearer == null) return (null, "Missing bearer token.");
        var mode = _store.AuthMode;
        if (LooksLikeJwt(bearer))
        {
            if (mode == EdgePlaneAuthMode.Token)
                return (null, "This EdgePlane runs with AUTH_MODE=token: it accepts session and service-account tokens (mcs_...), not OIDC access tokens.");
            return await ValidateJwtAsync(bearer, _store.OidcIssuer ?? OidcProviderEndpoints.IssuerOf(context), context.RequestAborted);
        }
        if (mode == EdgePlaneAuthMode.Oidc)
            return (null, "This EdgePlane runs with AUTH_MODE=oidc: it accepts only access tokens of its identity provider.");
        var session = _store.Session(bearer);
        if (session == null) return (null, "Session expired or revoked.");
        return (new EdgePlaneCaller(session.Subject, session.Email, session.ExpiresAt, session.SessionId, session.IsAdmin,
            session.IsServiceAccount ? "service_account" : "session"), null);
    }

    private async Task<(EdgePlaneCaller?, string?)> ValidateJwtAsync(string jwt, string issuer, CancellationToken cancellationToken)
    {
        var parts = jwt.Split('.');
        JsonObject? header, payload;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(JwtSigner.FromBase64Url(parts[0])) as JsonObject;
            payload = JsonNode.Parse(JwtSigner.FromBase64Url(parts[1])) as JsonObject;
            signature = JwtSigner.FromBase64Url(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return (null, "Malformed token.");
        }
        if (header == null || payload == null) return (null, "Malformed token.");
        if (Text(header, "alg") != "RS256") return (null, "Invalid token: only RS256 signatures are accepted.");

        var key = await KeyAsync(issuer, Text(header, "kid"), cancellationToken);
        if (key == null) return (null, $"Invalid token: no signing key of {issuer} matches it.");
        using (var rsa = RSA.Create())
        {
            rsa.ImportParameters(new RSAParameters { Modulus = JwtSigner.FromBase64Url(Text(key, "n") ?? ""), Exponent = JwtSigner.FromBase64Url(Text(key, "e") ?? "") });
            if (!rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                return (null, "Invalid token: invalid signature.");
        }
        if (Text(payload, "iss") != issuer) return (null, $"Invalid token: invalid issuer (expected {issuer}).");
        if (!Audiences(payload).Contains(_store.OidcAudience)) return (null, $"Invalid token: invalid audience (expected {_store.OidcAudience}).");
        var now = _now().ToUnixTimeSeconds();
        if (Number(payload, "exp") is not { } exp || exp <= now) return (null, "Invalid token: token expired.");
        if (Number(payload, "nbf") is { } nbf && nbf > now + 60) return (null, "Invalid token: not valid yet.");
        var subject = Text(payload, "sub");
        if (string.IsNullOrEmpty(subject)) return (null, "Invalid token: no subject.");
        return (new EdgePlaneCaller(subject, Text(payload, "email"), DateTimeOffset.FromUnixTimeSeconds(exp), null, false, "oidc"), null);
    }

    /// <summary>The issuer's key for a kid; the JWKS is read again once when the kid is unknown (a rotation).</summary>
    private async Task<JsonObject?> KeyAsync(string issuer, string? kid, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (attempt == 1 || !_keysByIssuer.TryGetValue(issuer, out var keys))
            {
                try
                {
                    keys = await FetchKeysAsync(issuer, cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException)
                {
                    return null;
                }
                _keysByIssuer[issuer] = keys;
            }
            foreach (var key in keys)
                if (key is JsonObject k && Text(k, "kty") == "RSA" && (kid == null || Text(k, "kid") == kid)) return k;
        }
        return null;
    }

    private async Task<JsonArray> FetchKeysAsync(string issuer, CancellationToken cancellationToken)
    {
        var discovery = JsonNode.Parse(await IssuerClient.GetStringAsync(issuer.TrimEnd('/') + "/.well-known/openid-configuration", cancellationToken)) as JsonObject;
        var jwksUri = discovery == null ? null : Text(discovery, "jwks_uri");
        if (jwksUri == null) throw new InvalidOperationException("The issuer's discovery document names no jwks_uri.");
        var jwks = JsonNode.Parse(await IssuerClient.GetStringAsync(jwksUri, cancellationToken)) as JsonObject;
        return jwks?["keys"] as JsonArray ?? throw new InvalidOperationException("The issuer's JWKS has no keys.");
    }

    /// <summary>Forgets the keys read so far (a test that switches issuers).</summary>
    public void ForgetKeys() => _keysByIssuer.Clear();

    private static bool LooksLikeJwt(string value) => value.StartsWith("eyJ", StringComparison.Ordinal) && value.Split('.').Length == 3;

    private static string? Text(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Number(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<long>(out var n) ? n : obj[name] is JsonValue d && d.TryGetValue<double>(out var x) ? (long)x : null;

    private static IEnumerable<string> Audiences(JsonObject payload) => payload["aud"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var one) => new[] { one },
        JsonArray many => many.OfType<JsonValue>().Select(a => a.TryGetValue<string>(out var s) ? s : null).OfType<string>(),
        _ => Array.Empty<string>(),
    };
}
