using System.Diagnostics;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Core.Tests.Http;

/// <summary>
/// The rules of the one HTTP path against a hostile emulator over real loopback HTTP: origin,
/// redirects (HTTP and WebSocket), size and time bounds, Retry-After budget, redaction. A canary
/// on 127.0.0.2 stands for "another host" and must never be reached.
/// </summary>
public sealed class HttpTransportTests : IAsyncLifetime
{
    private const string Bearer = "nara_tk_bearer-sent-by-this-call-0001";
    private EmulatorServer _server = null!;
    private CanaryListener _canary = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        _canary = CanaryListener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _canary.Dispose();
        await _server.DisposeAsync();
    }

    private ApiClient Client(RetryOptions? retry = null, RecordingReporter? reporter = null) => new(_server.BaseUrl, retry: retry ?? new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(20) }, reporter: reporter);

    private void AssertCanaryUntouched()
    {
        Thread.Sleep(100);
        Assert.False(_canary.Touched, _canary.Report.Replace(Bearer, "<SECRET>"));
    }

    private static void AssertNoSecret(Exception e, string secret) =>
        Assert.DoesNotContain(secret, e.ToString() + " " + (e as NaraAuthException)?.RecommendedAction + " " + (e as NaraAuthException)?.Target);

    [Theory]
    [InlineData(" //{0}/x")]
    [InlineData("/ //{0}/x")]
    [InlineData("/\t//{0}/x")]
    [InlineData("/api/x\r\nHost: {0}")]
    [InlineData("/api/\u0000x")]
    public async Task A_path_with_whitespace_or_a_control_character_is_refused_before_anything_is_sent(string template)
    {
        var path = string.Format(template, _canary.HostAndPort);
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Get, path) { Bearer = Bearer }, CancellationToken.None));
        Assert.Equal("InvalidRequestPath", error.ErrorId);
        Assert.Equal(NaraErrorCategory.InvalidArgument, error.Category);
        AssertNoSecret(error, Bearer);
        AssertCanaryUntouched();
    }

    [Theory]
    [InlineData("http://{0}/x")]
    [InlineData("evil:{1}/x")]
    [InlineData("https://127.0.0.1:1/x")]
    public async Task A_path_that_resolves_to_another_origin_is_refused(string template)
    {
        var path = string.Format(template, _canary.HostAndPort, _canary.Port);
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Get, path) { Bearer = Bearer }, CancellationToken.None));
        Assert.Equal("CrossOriginRequest", error.ErrorId);
        Assert.Equal(NaraErrorCategory.SecurityError, error.Category);
        AssertCanaryUntouched();
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_is_an_error_naming_its_target_and_is_not_followed(int status)
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/api/me", Status = status, RedirectTo = _canary.BaseUrl + "/steal?t=" + Bearer });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Get, "/api/me/organizations") { Bearer = Bearer }, CancellationToken.None));
        Assert.Equal("RedirectRefused", error.ErrorId);
        Assert.Equal(NaraErrorCategory.SecurityError, error.Category);
        Assert.Contains(_canary.HostAndPort, error.Message);
        Assert.Contains($"HTTP {status}", error.Message);
        Assert.False(error.IsTransient);
        AssertNoSecret(error, Bearer);
        // Not retried either: one request, then the error.
        Assert.Equal(1, _server.State.Faults.CountOf("GET", "/api/me/organizations"));
        AssertCanaryUntouched();
    }

    [Fact]
    public async Task A_user_name_or_password_in_a_base_url_is_refused_without_being_quoted()
    {
        var refused = Assert.Throws<NaraAuthException>(() => BaseUrlPolicy.Parse("https://ada:pa55w0rd-in-url@app.nara.de", "NARA_BASE_URL"));
        Assert.Equal("CredentialsInUrl", refused.ErrorId);
        AssertNoSecret(refused, "pa55w0rd-in-url");
        var malformed = Assert.Throws<NaraAuthException>(() => BaseUrlPolicy.Parse("htps://ada:pa55w0rd-in-url@app.nara.de", "NARA_BASE_URL"));
        Assert.Equal("InvalidBaseUrl", malformed.ErrorId);
        AssertNoSecret(malformed, "pa55w0rd-in-url");
        // The transport refuses it too, for addresses that did not come through the policy (discovery documents).
        var client = new ApiClient(new Uri($"http://ada:pa55w0rd-in-url@{_canary.HostAndPort}/"));
        var direct = await Assert.ThrowsAsync<NaraAuthException>(() => client.SendAsync(new ApiRequest(HttpMethod.Get, "/x"), CancellationToken.None));
        Assert.Equal("CredentialsInUrl", direct.ErrorId);
        AssertNoSecret(direct, "pa55w0rd-in-url");
        AssertCanaryUntouched();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_oversized_body_is_an_error_not_an_allocation(bool declared)
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/big", OversizedBytes = 3 * 1024 * 1024, DeclareLength = declared });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Get, "/big") { MaxResponseBytes = 1024 * 1024 }, CancellationToken.None));
        Assert.Equal("ResponseTooLarge", error.ErrorId);
        Assert.Equal(NaraErrorCategory.LimitsExceeded, error.Category);
        Assert.Contains("1 MiB", error.Message);
        Assert.Equal(1, _server.State.Faults.CountOf("GET", "/big"));
    }

    [Fact]
    public async Task A_trickling_body_ends_at_the_timeout()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/slow", TrickleInterval = TimeSpan.FromMilliseconds(200) });
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<NaraAuthException>(() =>
            NetworkSettings.Run(new NetworkSettings(null, TimeSpan.FromSeconds(1)),
                () => Client(new RetryOptions { MaxRetries = 0 }).SendAsync(new ApiRequest(HttpMethod.Get, "/slow"), CancellationToken.None)));
        Assert.Equal("RequestTimedOut", error.ErrorId);
        Assert.True(error.IsTransient);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Cancelling_stops_a_trickling_body_at_once()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/slow", TrickleInterval = TimeSpan.FromMilliseconds(200) });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client().SendAsync(new ApiRequest(HttpMethod.Get, "/slow"), cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.7), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_budget_ends_the_call_at_once_quoting_the_servers_time()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/api/me", Status = 503, RetryAfterSeconds = 86400, Count = 5 });
        var reporter = new RecordingReporter();
        var client = Client(reporter: reporter);
        var watch = Stopwatch.StartNew();
        var response = await client.SendAsync(new ApiRequest(HttpMethod.Get, "/api/me/organizations"), CancellationToken.None);
        Assert.Equal(503, response.StatusCode);
        Assert.Empty(reporter.Retries());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        var error = response.ToException("list your organizations");
        Assert.Equal("ServerError", error.ErrorId);
        Assert.Contains("24 h (Retry-After)", error.Message);
    }

    [Fact]
    public async Task Retries_are_counted_from_one_and_only_for_idempotent_calls()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/api/me", Status = 503, Count = 2 });
        var reporter = new RecordingReporter();
        var client = Client(reporter: reporter);
        var response = await client.SendAsync(new ApiRequest(HttpMethod.Get, "/api/me/organizations") { Bearer = _server.State.MintToken() }, CancellationToken.None);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(new[] { 1, 2 }, reporter.Retries().Select(r => r.Attempt));
        Assert.Equal("Attempt 1 failed (HTTP 503); retrying in 0.5 s.", RetryNotice.Text(1, TimeSpan.FromMilliseconds(500), "HTTP 503"));

        _server.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", Status = 503, Count = 2 });
        var post = await client.SendAsync(new ApiRequest(HttpMethod.Post, "/api/tokens") { JsonBody = "{}" }, CancellationToken.None);
        Assert.Equal(503, post.StatusCode);
        Assert.Equal(1, _server.State.Faults.CountOf("POST", "/api/tokens"));
    }

    [Fact]
    public async Task Transient_failures_say_so_on_the_error()
    {
        var port = _server.BaseUrl.Port;
        var unreachable = await Assert.ThrowsAsync<NaraAuthException>(() =>
            new ApiClient(new Uri("http://127.0.0.1:9/"), retry: new RetryOptions { MaxRetries = 0 }).SendAsync(new ApiRequest(HttpMethod.Get, "/x"), CancellationToken.None));
        Assert.True(unreachable.IsTransient);
        var refused = await Assert.ThrowsAsync<NaraAuthException>(() => Client().SendAsync(new ApiRequest(HttpMethod.Get, " x"), CancellationToken.None));
        Assert.False(refused.IsTransient);
        Assert.NotEqual(0, port);
    }

    [Fact]
    public async Task Server_text_is_redacted_of_every_secret_the_call_sent_and_every_known_one()
    {
        const string headerSecret = "sec_header-secret-echoed-0002";
        const string known = "sec_known-from-earlier-call-0003";
        KnownSecrets.Remember(known);
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/api/me", EchoCredentials = true, Status = 400 });
        var request = new ApiRequest(HttpMethod.Get, "/api/me/organizations") { Bearer = Bearer };
        request.Headers["X-Deployment-Secret"] = headerSecret;
        var response = await Client().SendAsync(request, CancellationToken.None);
        Assert.Contains(Bearer, response.Body); // the raw body really echoes it
        Assert.Contains("***", response.ServerReason);
        Assert.DoesNotContain(Bearer, response.ServerReason);
        Assert.DoesNotContain(headerSecret, response.ServerReason);
        Assert.DoesNotContain(Bearer, response.ErrorCode);
        Assert.Contains(known, response.Quote("echo " + known) + known); // sanity: the known value is real
        Assert.DoesNotContain(known, response.Quote("you were " + known));
        var error = response.ToException("list your organizations");
        AssertNoSecret(error, Bearer);
        AssertNoSecret(error, headerSecret);
    }

    [Fact]
    public async Task Identity_provider_form_posts_go_through_the_same_path_and_redact_their_secret_fields()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/token", EchoCredentials = true, Status = 400 });
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "rt_refresh-token-echoed-0004", ["client_id"] = "naraauth" };
        var response = await NaraAuth.Core.Oidc.OidcHttp.PostFormAsync(new Uri(_server.BaseUrl, "oidc/token"), form, CancellationToken.None);
        Assert.Contains("rt_refresh-token-echoed-0004", response.Body);
        Assert.DoesNotContain("rt_refresh-token-echoed-0004", response.ServerReason);
        Assert.Contains("naraauth", response.ServerReason);

        _server.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/token", RedirectTo = _canary.BaseUrl + "/token" });
        var redirect = await Assert.ThrowsAsync<NaraAuthException>(() => NaraAuth.Core.Oidc.OidcHttp.PostFormAsync(new Uri(_server.BaseUrl, "oidc/token"), form, CancellationToken.None));
        Assert.Equal("RedirectRefused", redirect.ErrorId);
        AssertCanaryUntouched();
    }
}

/// <summary>The deployment check's WebSocket handshake, done by the HTTP path so its rules hold there too.</summary>
public sealed class WebSocketHandshakeTests : IAsyncLifetime
{
    private const string Secret = "sec_deployment-secret-0005";
    private EmulatorServer _server = null!;
    private CanaryListener _canary = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        _server.State.EdgeConnector.Deployments["dep_1"] = Secret;
        _canary = CanaryListener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _canary.Dispose();
        await _server.DisposeAsync();
    }

    private Task Verify(string secret = Secret) =>
        NetworkSettings.Run(new NetworkSettings(null, TimeSpan.FromSeconds(5)), () => new EdgeConnectorSocket(new ApiClient(_server.BaseUrl))
            .VerifyAsync(new DeploymentCredentials("dep_1", secret, DeploymentCredentialSource.Parameters), CancellationToken.None));

    [Fact]
    public async Task A_good_handshake_is_accepted_and_closed_normally()
    {
        await Verify();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_server.State.EdgeConnector.AcceptedSockets.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Contains("deployment:dep_1", _server.State.EdgeConnector.AcceptedSockets);
    }

    [Fact]
    public async Task A_redirected_upgrade_is_refused_and_the_secret_goes_nowhere()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = EdgeConnectorSocket.Path, RedirectTo = _canary.BaseUrl + EdgeConnectorSocket.Path });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => Verify());
        Assert.Equal("RedirectRefused", error.ErrorId);
        Assert.Contains(_canary.HostAndPort, error.Message);
        Thread.Sleep(100);
        Assert.False(_canary.Touched, _canary.Report.Replace(Secret, "<SECRET>"));
        Assert.DoesNotContain(Secret, error.ToString());
    }

    [Fact]
    public async Task A_wrong_Sec_WebSocket_Accept_is_a_protocol_failure_not_a_rejection()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = EdgeConnectorSocket.Path, WrongWebSocketAccept = true });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => Verify());
        Assert.Equal("WebSocketHandshakeFailed", error.ErrorId);
        Assert.Contains("Sec-WebSocket-Accept", error.Message);
    }

    [Fact]
    public async Task No_upgrade_says_so_with_the_status()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = EdgeConnectorSocket.Path, Status = 200, Body = "{\"status\":\"ok\"}" });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => Verify());
        Assert.Equal("WebSocketHandshakeFailed", error.ErrorId);
        Assert.Contains("did not switch to WebSocket (HTTP 200", error.Message);
    }

    [Fact]
    public async Task Only_a_real_401_is_a_rejection_and_its_echo_is_redacted()
    {
        _server.State.Faults.Add(new FaultRule { PathPrefix = EdgeConnectorSocket.Path, EchoCredentials = true, Status = 401 });
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => Verify());
        Assert.Equal("DeploymentCredentialsRejected", error.ErrorId);
        Assert.Contains("***", error.Message);
        Assert.DoesNotContain(Secret, error.ToString());

        _server.State.Faults.Add(new FaultRule { PathPrefix = EdgeConnectorSocket.Path, EchoCredentials = true, Status = 403 });
        var forbidden = await Assert.ThrowsAsync<NaraAuthException>(() => Verify());
        Assert.Equal("Forbidden", forbidden.ErrorId);
        Assert.DoesNotContain(Secret, forbidden.ToString());
    }
}

/// <summary>Waits bounded locally whatever the server's expiry says.</summary>
public sealed class LocalWaitBoundTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync();
    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private sealed class FakeClock : Abstractions.IClock
    {
        public DateTimeOffset UtcNow { get; set; } = DateTimeOffset.UtcNow;
    }

    [Fact]
    public async Task The_EdgePlane_poll_stops_at_the_local_limit_even_with_expires_at_in_2099()
    {
        var clock = new FakeClock();
        var waited = TimeSpan.Zero;
        var flow = new CliLoginFlow(_server.BaseUrl, clock) { PollInterval = TimeSpan.FromSeconds(30), MaxWait = TimeSpan.FromMinutes(15) };
        flow.Delay = (wait, _) => { waited += wait; clock.UtcNow += wait; return Task.CompletedTask; };
        var start = new CliLoginStart(new Uri(_server.BaseUrl, "auth/oidc/cli-login"), "cn_never_completed", new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => flow.WaitForGrantAsync(start, CancellationToken.None));
        Assert.Equal("EdgePlaneLoginTimedOut", error.ErrorId);
        Assert.Contains("15 min", error.Message);
        Assert.True(waited <= TimeSpan.FromMinutes(15), $"waited {waited}");
    }

    [Fact]
    public async Task A_Retry_After_past_the_EdgePlane_deadline_fails_at_once()
    {
        var clock = new FakeClock();
        var flow = new CliLoginFlow(_server.BaseUrl, clock);
        var waits = 0;
        flow.Delay = (_, _) => { waits++; return Task.CompletedTask; };
        _server.State.Faults.Add(new FaultRule { PathPrefix = "/auth/oidc/cli-poll", Status = 429, RetryAfterSeconds = 7200 });
        var start = new CliLoginStart(new Uri(_server.BaseUrl, "auth/oidc/cli-login"), "cn_x", clock.UtcNow.AddMinutes(10));
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => flow.WaitForGrantAsync(start, CancellationToken.None));
        Assert.Equal("TooManyRequests", error.ErrorId);
        Assert.Contains("2 h (Retry-After)", error.Message);
        Assert.Equal(0, waits);
    }
}
