using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Tokens;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.Tests;

/// <summary>Validation and the HTTP client against the emulator over real loopback HTTP.</summary>
public class OnlineValidationTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync();
    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private ApiClient Client(RetryOptions? retry = null, RecordingReporter? reporter = null) => new(_server.BaseUrl, retry: retry ?? new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(20) }, reporter: reporter);

    [Fact]
    public async Task A_good_token_verifies_signature_and_organization()
    {
        var result = await new TokenValidator(jwks: new JwksCache(Abstractions.SystemClock.Instance))
            .ValidateAsync(_server.State.MintToken(), new TokenValidationOptions(), Client(), CancellationToken.None);
        Assert.True(result.SignatureVerified);
        Assert.True(result.OrganizationVerified);
        Assert.Equal("Acme", result.OrganizationName);
    }

    [Fact]
    public async Task Tampered_payload_fails_the_signature_check()
    {
        var good = _server.State.MintToken(role: "member").Split('.');
        var evil = _server.State.MintToken(role: "admin").Split('.');
        var forged = good[0] + "." + evil[1] + "." + good[2];
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            new TokenValidator(jwks: new JwksCache(Abstractions.SystemClock.Instance)).ValidateAsync(forged, new TokenValidationOptions(), Client(), CancellationToken.None));
        Assert.Equal("InvalidSignature", error.ErrorId);
        Assert.DoesNotContain(evil[1], error.Message);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_fails_the_signature_check()
    {
        using var other = new EmulatorState(new EmulatorOptions());
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            new TokenValidator(jwks: new JwksCache(Abstractions.SystemClock.Instance)).ValidateAsync(other.MintToken(), new TokenValidationOptions(), Client(), CancellationToken.None));
        Assert.Equal("InvalidSignature", error.ErrorId);
    }

    [Theory]
    [InlineData("org_2", "OrganizationNotEnabled")]
    [InlineData("org_404", "OrganizationNotFound")]
    public async Task Organization_must_be_yours_and_enabled(string org, string errorId)
    {
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            new TokenValidator().ValidateAsync(_server.State.MintToken(org: org), new TokenValidationOptions(), Client(), CancellationToken.None));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(NaraErrorCategory.PermissionDenied, error.Category);
    }

    [Fact]
    public async Task Get_is_retried_after_503_with_Retry_After()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/api/me/organizations", Status = 503, RetryAfterSeconds = 1 });
        var reporter = new RecordingReporter();
        var client = Client(reporter: reporter);
        var response = await client.SendAsync(new ApiRequest(HttpMethod.Get, "/api/me/organizations") { Bearer = _server.State.MintToken() }, CancellationToken.None);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), Assert.Single(reporter.Retries()).Wait);
        Assert.Equal(2, _server.State.Faults.CountOf("GET", "/api/me/organizations"));
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/.well-known/jwks.json", Status = 502, Count = 10 });
        var response = await Client(new RetryOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10) })
            .SendAsync(new ApiRequest(HttpMethod.Get, "/.well-known/jwks.json"), CancellationToken.None);
        Assert.Equal(502, response.StatusCode);
        Assert.Equal(3, _server.State.Faults.CountOf("GET", "/.well-known/jwks.json"));
    }

    [Fact]
    public async Task A_dropped_POST_is_not_sent_twice()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/_probe", Method = "POST", Drop = true });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Post, "/_probe") { JsonBody = "{}" }, CancellationToken.None));
        Assert.Equal("PlatformUnreachable", error.ErrorId);
        Assert.Equal(1, _server.State.Faults.CountOf("POST", "/_probe"));
    }

    [Fact]
    public async Task A_dropped_GET_is_retried()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/.well-known/jwks.json", Drop = true });
        var response = await Client().SendAsync(new ApiRequest(HttpMethod.Get, "/.well-known/jwks.json"), CancellationToken.None);
        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task A_slow_server_times_out_with_a_specific_error()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/.well-known/jwks.json", Delay = TimeSpan.FromSeconds(5), Count = 5 });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => NetworkSettings.Run(new NetworkSettings(null, TimeSpan.FromMilliseconds(200)),
            () => Client(new RetryOptions { MaxRetries = 0 }).SendAsync(new ApiRequest(HttpMethod.Get, "/.well-known/jwks.json"), CancellationToken.None)));
        Assert.Equal("RequestTimedOut", error.ErrorId);
        Assert.Equal(NaraErrorCategory.OperationTimeout, error.Category);
    }

    [Fact]
    public async Task An_unreachable_platform_is_a_connection_error()
    {
        var port = _server.BaseUrl.Port;
        await _server.DisposeAsync();
        var client = new ApiClient(new Uri($"http://127.0.0.1:{port}/"), retry: new RetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(10) });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => client.SendAsync(new ApiRequest(HttpMethod.Get, "/x"), CancellationToken.None));
        Assert.Equal("PlatformUnreachable", error.ErrorId);
        Assert.Equal(NaraErrorCategory.ConnectionError, error.Category);
        _server = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
    }
}

public class BaseUrlPolicyTests
{
    [Theory]
    [InlineData("https://app.nara.de", "https://app.nara.de/")]
    [InlineData("https://app.nara.de/tenant", "https://app.nara.de/tenant/")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://127.8.9.10", "http://127.8.9.10/")]
    [InlineData("http://localhost:1234", "http://localhost:1234/")]
    [InlineData("http://[::1]:80", "http://[::1]/")]
    public void Accepts_https_and_loopback_http(string input, string expected) =>
        Assert.Equal(expected, BaseUrlPolicy.Parse(input, "test").ToString());

    [Theory]
    [InlineData("http://app.nara.de", "InsecureBaseUrl")]
    [InlineData("http://10.0.0.1", "InsecureBaseUrl")]
    [InlineData("http://localhost.evil.com", "InsecureBaseUrl")]
    [InlineData("ftp://app.nara.de", "InvalidBaseUrl")]
    [InlineData("app.nara.de", "InvalidBaseUrl")]
    [InlineData("", "InvalidBaseUrl")]
    public void Refuses_the_rest(string input, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<NaraAuthException>(() => BaseUrlPolicy.Parse(input, "test")).ErrorId);

    [Theory]
    [InlineData("   ")]
    [InlineData("\t")]
    [InlineData("")]
    public void A_blank_explicit_address_is_refused_and_never_replaced_by_the_environment(string blank)
    {
        var env = new FakeEnvironment()
            .Set("NARA_BASE_URL", "http://127.0.0.1:1").Set("EP_BASE_URL", "http://127.0.0.1:2").Set("OIDC_ISSUER_URL", "http://127.0.0.1:3");
        Assert.Equal("InvalidBaseUrl", Assert.Throws<NaraAuthException>(() => NaraAuth.Core.Platform.PlatformUrl.Resolve(blank, env, null)).ErrorId);
        Assert.Equal("InvalidBaseUrl", Assert.Throws<NaraAuthException>(() => NaraAuth.Core.EdgePlane.EdgePlaneUrl.Resolve(blank, env)).ErrorId);
        Assert.Equal("InvalidBaseUrl", Assert.Throws<NaraAuthException>(() => NaraAuth.Core.Oidc.OidcSettings.Resolve(blank, "cli", null, env)).ErrorId);
        // Not given at all, the environment still answers.
        Assert.Equal("http://127.0.0.1:1/", NaraAuth.Core.Platform.PlatformUrl.Resolve(null, env, null).ToString());
        Assert.Equal("http://127.0.0.1:2/", NaraAuth.Core.EdgePlane.EdgePlaneUrl.Resolve(null, env).ToString());
    }
}

public class CiSecretMaskingTests
{
    [Fact]
    public void Azure_Pipelines_and_GitHub_Actions_get_their_own_masking_commands()
    {
        var env = new FakeEnvironment();
        Assert.Null(Ci.CiSecretMasking.MaskCommand(env, "s3cret"));
        env.Variables["GITHUB_ACTIONS"] = "true";
        Assert.Equal("::add-mask::s3cret", Ci.CiSecretMasking.MaskCommand(env, "s3cret"));
        env.Variables["TF_BUILD"] = "True";
        Assert.Equal("##vso[task.setsecret]s3cret", Ci.CiSecretMasking.MaskCommand(env, "s3cret"));
        // A newline would end the logging command and let the rest run as a new one.
        Assert.StartsWith("##vso[task.setsecret]a%0A##vso%5Dx\n", Ci.CiSecretMasking.MaskCommand(env, "a\n##vso]x"));
        Assert.Contains("\n##vso[task.setsecret]##vso%5Dx", Ci.CiSecretMasking.MaskCommand(env, "a\n##vso]x"));
    }

    [Fact]
    public void CI_variables_mark_a_job_without_a_person()
    {
        var env = new FakeEnvironment();
        Assert.False(Ci.CiSecretMasking.IsCi(env));
        env.Variables["CI"] = "false";
        Assert.False(Ci.CiSecretMasking.IsCi(env));
        env.Variables["CI"] = "true";
        Assert.True(Ci.CiSecretMasking.IsCi(env));
    }
}

/// <summary>The signing-key cache when the platform restarts with a new key.</summary>
public class SigningKeyRotationTests
{
    private static ApiClient Client(Uri baseUrl) => new(baseUrl, retry: new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(20) });

    [Theory]
    [InlineData(null)]            // a new key under a new id: the unknown id refetches
    [InlineData("reused-key-id")] // a new key under the old id: the failed signature refetches
    public async Task A_platform_restarted_with_a_new_key_is_trusted_again_without_waiting_for_the_cache(string? keyId)
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        var cache = new JwksCache(clock);
        int port;
        await using (var first = await EmulatorServer.StartAsync(new EmulatorOptions { SigningKeyId = keyId }, TestContext.Current.CancellationToken))
        {
            port = first.BaseUrl.Port;
            var before = await new TokenValidator(clock, cache).ValidateAsync(first.State.MintToken(), new TokenValidationOptions(), Client(first.BaseUrl), CancellationToken.None);
            Assert.True(before.SignatureVerified);
        }
        clock.UtcNow += JwksCache.MinimumRefreshInterval;
        await using var second = await EmulatorServer.StartAsync(new EmulatorOptions { Port = port, SigningKeyId = keyId }, TestContext.Current.CancellationToken);
        var after = await new TokenValidator(clock, cache).ValidateAsync(second.State.MintToken(), new TokenValidationOptions(), Client(second.BaseUrl), CancellationToken.None);
        Assert.True(after.SignatureVerified);
    }

    [Fact]
    public async Task A_forged_signature_refetches_the_keys_at_most_once_per_interval()
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        var cache = new JwksCache(clock);
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { SigningKeyId = "only-key" }, TestContext.Current.CancellationToken);
        using var forger = new EmulatorState(new EmulatorOptions { SigningKeyId = "only-key" });
        var validator = new TokenValidator(clock, cache);
        Assert.True((await validator.ValidateAsync(server.State.MintToken(), new TokenValidationOptions(), Client(server.BaseUrl), CancellationToken.None)).SignatureVerified);
        var fetchesBefore = server.State.Faults.CountOf("GET", "/.well-known/jwks.json");
        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
                validator.ValidateAsync(forger.MintToken(), new TokenValidationOptions(), Client(server.BaseUrl), CancellationToken.None));
            Assert.Equal("InvalidSignature", error.ErrorId);
        }
        // The first failure refetches once; the next ones within the interval do not.
        Assert.Equal(fetchesBefore + 1, server.State.Faults.CountOf("GET", "/.well-known/jwks.json"));
        clock.UtcNow += JwksCache.MinimumRefreshInterval;
        await Assert.ThrowsAsync<NaraAuthException>(() =>
            validator.ValidateAsync(forger.MintToken(), new TokenValidationOptions(), Client(server.BaseUrl), CancellationToken.None));
        Assert.Equal(fetchesBefore + 2, server.State.Faults.CountOf("GET", "/.well-known/jwks.json"));
    }

    [Fact]
    public async Task A_key_rotated_under_the_same_id_right_after_an_ordinary_fetch_is_trusted_at_once()
    {
        // The clock never moves: the ordinary fetch of the first validation must not count
        // against the refetch that the new key's first signature causes.
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        var cache = new JwksCache(clock);
        int port;
        await using (var first = await EmulatorServer.StartAsync(new EmulatorOptions { SigningKeyId = "same-id" }, TestContext.Current.CancellationToken))
        {
            port = first.BaseUrl.Port;
            Assert.True((await new TokenValidator(clock, cache).ValidateAsync(first.State.MintToken(), new TokenValidationOptions(), Client(first.BaseUrl), CancellationToken.None)).SignatureVerified);
        }
        await using var second = await EmulatorServer.StartAsync(new EmulatorOptions { Port = port, SigningKeyId = "same-id" }, TestContext.Current.CancellationToken);
        var after = await new TokenValidator(clock, cache).ValidateAsync(second.State.MintToken(), new TokenValidationOptions(), Client(second.BaseUrl), CancellationToken.None);
        Assert.True(after.SignatureVerified);
    }
}
