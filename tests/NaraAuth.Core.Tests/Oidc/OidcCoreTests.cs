using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Storage;
using NaraAuth.Emulator;

namespace NaraAuth.Core.Tests.Oidc;

/// <summary>Direct OIDC and EdgePlane session logic without PowerShell or HTTP: settings, session files, browser command lines, ID token checks.</summary>
public class OidcCoreTests
{
    private sealed class FakeEnvironment(Dictionary<string, string> variables) : IEnvironment
    {
        public string? GetVariable(string name) => variables.TryGetValue(name, out var v) ? v : null;
        public string MachineName => "test";
        public string HomeDirectory => "/home/tester";
        public string ConfigDirectory => "/home/tester/.config";
        public bool IsWindows => false;
    }

    private sealed class FixedClock(DateTimeOffset now) : IClock
    {
        public DateTimeOffset UtcNow => now;
    }

    [Fact]
    public void Settings_prefer_parameters_then_OIDC_variables_and_always_ask_for_openid()
    {
        var env = new FakeEnvironment(new() { ["OIDC_ISSUER_URL"] = "https://idp.example.com/app/", ["OIDC_CLIENT_ID"] = "cli", ["OIDC_SCOPES"] = "email profile" });
        var fromEnv = OidcSettings.Resolve(null, null, null, env);
        Assert.Equal("https://idp.example.com/app/", fromEnv.Authority.AbsoluteUri);
        Assert.Equal("cli", fromEnv.ClientId);
        Assert.Equal("openid email profile", fromEnv.Scope);

        var explicitOnes = OidcSettings.Resolve("https://other.example.com", "x", new[] { "openid offline_access" }, env);
        Assert.Equal("x", explicitOnes.ClientId);
        Assert.Equal("openid offline_access", explicitOnes.Scope);
        Assert.Equal("openid profile email offline_access", OidcSettings.Resolve("https://a.example.com", "x", null, new FakeEnvironment(new())).Scope);
    }

    [Fact]
    public void Settings_refuse_missing_values_and_plain_http_to_remote_hosts()
    {
        var empty = new FakeEnvironment(new());
        Assert.Equal("OidcAuthorityMissing", Assert.Throws<NaraAuthException>(() => OidcSettings.Resolve(null, "x", null, empty)).ErrorId);
        Assert.Equal("OidcClientIdMissing", Assert.Throws<NaraAuthException>(() => OidcSettings.Resolve("https://a.example.com", null, null, empty)).ErrorId);
        Assert.Equal("InsecureBaseUrl", Assert.Throws<NaraAuthException>(() => OidcSettings.Resolve("http://a.example.com", "x", null, empty)).ErrorId);
        Assert.Equal("http://127.0.0.1:5000/oidc", OidcSettings.Resolve("http://127.0.0.1:5000/oidc", "x", null, empty).Authority.AbsoluteUri);
    }

    [Fact]
    public void EdgePlane_url_comes_from_the_parameter_or_EP_BASE_URL_and_has_no_default()
    {
        Assert.Equal("EdgePlaneUrlMissing", Assert.Throws<NaraAuthException>(() => EdgePlaneUrl.Resolve(null, new FakeEnvironment(new()))).ErrorId);
        Assert.Equal("https://ep.example.com/", EdgePlaneUrl.Resolve(null, new FakeEnvironment(new() { ["EP_BASE_URL"] = "https://ep.example.com" })).AbsoluteUri);
        Assert.Equal("https://p.example.com/", EdgePlaneUrl.Resolve("https://p.example.com", new FakeEnvironment(new() { ["EP_BASE_URL"] = "https://ep.example.com" })).AbsoluteUri);
        Assert.Equal("/home/tester/.edgeplane/session.json", EdgePlaneSession.DefaultPath(new FakeEnvironment(new())));
    }

    [Fact]
    public void EdgePlane_session_file_has_exactly_the_protocol_fields_and_round_trips()
    {
        var session = new EdgePlaneSession("mcs_abc", "ada", "ada@example.com", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "https://ep.example.com", 7);
        var bytes = session.Serialize();
        using var doc = JsonDocument.Parse(bytes);
        Assert.Equal(new[] { "token", "subject", "email", "expires_at", "base_url", "session_id" }, doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-01-02T03:04:05.000Z", doc.RootElement.GetProperty("expires_at").GetString());
        using var dir = new TempDir();
        var store = new SecureFileStore(new NaraAuth.Core.Tests.FakeEnvironment());
        var path = dir.Combine("session.json");
        session.Write(store, path);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        var back = EdgePlaneSession.Read(store, path);
        Assert.Equal("mcs_abc", back.Token);
        Assert.Equal(7, back.SessionId);
        Assert.Equal(session.ExpiresAt, back.ExpiresAt);

        EdgePlaneSession Written(string text)
        {
            File.WriteAllText(path, text);
            return EdgePlaneSession.Read(store, path);
        }
        var notJson = Assert.Throws<NaraAuthException>(() => Written("mcs_secret_value"));
        Assert.Equal("EdgePlaneSessionNotJson", notJson.ErrorId);
        Assert.DoesNotContain("mcs_secret_value", notJson.Message);
        Assert.Equal("EdgePlaneSessionMissingToken", Assert.Throws<NaraAuthException>(() => Written("{\"subject\":\"a\"}")).ErrorId);
    }

    [Theory]
    [InlineData(IdTokenDefect.None, null)]
    [InlineData(IdTokenDefect.WrongAudience, "IdTokenWrongAudience")]
    [InlineData(IdTokenDefect.WrongIssuer, "IdTokenWrongIssuer")]
    [InlineData(IdTokenDefect.BadSignature, "IdTokenBadSignature")]
    [InlineData(IdTokenDefect.Expired, "IdTokenExpired")]
    public async Task ID_token_checks_each_fail_with_their_own_error(IdTokenDefect defect, string? errorId)
    {
        using var idp = new OidcProviderStore(() => DateTimeOffset.UtcNow) { NextIdTokenDefect = defect };
        const string issuer = "https://idp.example.com/oidc";
        var token = idp.MintIdToken(issuer, "cli", new OidcProviderStore.Identity("ada", "ada@example.com", "n-1"));
        var keys = new JsonWebKeySet(idp.Signer.Jwks().ToJsonString());
        var validator = new IdTokenValidator(SystemClock.Instance);
        if (errorId == null)
        {
            var identity = await validator.ValidateAsync(token, issuer, "cli", keys, "n-1");
            Assert.Equal("ada", identity.Subject);
            Assert.Equal("ada@example.com", identity.Email);
            var nonce = await Assert.ThrowsAsync<NaraAuthException>(() => validator.ValidateAsync(token, issuer, "cli", keys, "other"));
            Assert.Equal("IdTokenNonceMismatch", nonce.ErrorId);
            return;
        }
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => validator.ValidateAsync(token, issuer, "cli", keys, null));
        Assert.Equal(errorId, error.ErrorId);
        Assert.DoesNotContain(token, error.Message + error.RecommendedAction);
    }

    [Fact]
    public async Task Expiry_uses_the_module_clock_with_its_skew()
    {
        using var idp = new OidcProviderStore(() => DateTimeOffset.UtcNow) { IdTokenLifetime = TimeSpan.FromSeconds(30) };
        var token = idp.MintIdToken("https://i.example.com", "cli", new OidcProviderStore.Identity("ada", "a@example.com", null));
        var keys = new JsonWebKeySet(idp.Signer.Jwks().ToJsonString());
        // 60 s after issue the 30 s token is within the 60 s skew; 2 minutes after it is not.
        Assert.Equal("ada", (await new IdTokenValidator(new FixedClock(DateTimeOffset.UtcNow.AddSeconds(60))).ValidateAsync(token, "https://i.example.com", "cli", keys, null)).Subject);
        var late = await Assert.ThrowsAsync<NaraAuthException>(() => new IdTokenValidator(new FixedClock(DateTimeOffset.UtcNow.AddMinutes(2))).ValidateAsync(token, "https://i.example.com", "cli", keys, null));
        Assert.Equal("IdTokenExpired", late.ErrorId);
    }
}
