using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.Tests;

public sealed class PlatformCredentialTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 1, 15, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("naraauth-cred-").FullName;
    private readonly FakeEnvironment _environment;
    private readonly CoreContext _context;

    public PlatformCredentialTests()
    {
        // An Edge Connector installation named by EDGE_CONNECTOR_HOME, so the token file is looked up here.
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{}");
        _environment = new FakeEnvironment(_dir);
        _environment.Variables["EDGE_CONNECTOR_HOME"] = _dir;
        _context = new CoreContext(_environment, new FakeClock(Now), _dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An unsigned-looking but well-formed JWT; offline checks never verify the signature.</summary>
    private static string Jwt(DateTimeOffset expires, string role = "admin") =>
        UnsignedJwt.Of(new { sub = "user_1", org = "org_1", role, exp = expires.ToUnixTimeSeconds(), iat = Now.AddHours(-1).ToUnixTimeSeconds() });

    private void WriteTokenFile(string jwt) =>
        File.WriteAllText(Path.Combine(_dir, "auth-token.json"), "{\"token\": \"" + jwt + "\", \"savedAt\": \"2025-01-15T09:00:00.000Z\"}");

    [Fact]
    public void Explicit_token_wins_over_NARA_TOKEN_and_the_file()
    {
        WriteTokenFile(Jwt(Now.AddHours(1)));
        _environment.Set("NARA_TOKEN", "nara_tk_env");
        var credential = PlatformCredential.Resolve("nara_tk_param", null, _context);
        Assert.Equal("nara_tk_param", credential.Value);
        Assert.Equal(CredentialSource.Parameter, credential.Source);
        Assert.True(credential.IsServerToken);
    }

    [Fact]
    public void NARA_TOKEN_wins_over_the_file()
    {
        WriteTokenFile(Jwt(Now.AddHours(1)));
        _environment.Set("NARA_TOKEN", " nara_tk_env ");
        var credential = PlatformCredential.Resolve(null, null, _context);
        Assert.Equal("nara_tk_env", credential.Value);
        Assert.Equal(CredentialSource.EnvironmentVariable, credential.Source);
        Assert.DoesNotContain("nara_tk_env", credential.Description);
    }

    [Fact]
    public void The_stored_token_is_used_last_and_decoded()
    {
        var jwt = Jwt(Now.AddHours(1), role: "member");
        WriteTokenFile(jwt);
        var credential = PlatformCredential.Resolve(null, null, _context);
        Assert.Equal(jwt, credential.Value);
        Assert.Equal(CredentialSource.TokenFile, credential.Source);
        Assert.Equal("member", credential.Jwt!.Role);
        Assert.Contains("auth-token.json", credential.Description);
    }

    [Fact]
    public void An_expired_JWT_from_any_source_is_refused_with_log_in_again()
    {
        var expired = Jwt(Now.AddHours(-1));
        var fromParameter = Assert.Throws<NaraAuthException>(() => PlatformCredential.Resolve(expired, null, _context));
        Assert.Equal("TokenExpired", fromParameter.ErrorId);
        Assert.Contains("-Token", fromParameter.Message);
        Assert.DoesNotContain(expired, fromParameter.Message);

        WriteTokenFile(expired);
        var fromFile = Assert.Throws<NaraAuthException>(() => PlatformCredential.Resolve(null, null, _context));
        Assert.Equal("TokenExpired", fromFile.ErrorId);
        Assert.Contains("Log in again", fromFile.RecommendedAction);
    }

    [Fact]
    public void No_credential_anywhere_is_its_own_error()
    {
        var error = Assert.Throws<NaraAuthException>(() => PlatformCredential.Resolve(null, null, _context));
        Assert.Equal("NoCredential", error.ErrorId);
        Assert.Equal(NaraErrorCategory.AuthenticationError, error.Category);
        Assert.Contains(Path.Combine(_dir, "auth-token.json"), error.Message);
    }

    [Fact]
    public void An_empty_explicit_token_is_refused()
    {
        Assert.Equal("EmptyToken", Assert.Throws<NaraAuthException>(() => PlatformCredential.Resolve("  ", null, _context)).ErrorId);
    }

    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig", true)]
    [InlineData("nara_tk_abc", false)]
    [InlineData("eyJonly.two", false)]
    [InlineData("a.b.c", false)]
    public void Recognizes_JWTs(string value, bool isJwt) => Assert.Equal(isJwt, PlatformCredential.LooksLikeJwt(value));
}
