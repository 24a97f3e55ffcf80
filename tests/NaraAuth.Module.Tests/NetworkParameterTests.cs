using System.Management.Automation;
using System.Net;
using System.Text.Json;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// -Proxy, -ProxyCredential and -TimeoutSec on every cmdlet that calls out, through the engine:
/// the emulator and a forwarding proxy both listen on 127.0.0.1, so each test also proves that an
/// explicit proxy is not bypassed for loopback. Each request is counted at both ends, so a request
/// that went around the proxy shows as a difference.
/// </summary>
public class NetworkParameterTests : IClassFixture<EmulatorFixture>
{
    private static readonly NetworkCredential Account = new("proxy-user", "proxy-pass-must-not-leak-7Qx");
    private readonly EmulatorFixture _emulator;

    public NetworkParameterTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
        _emulator.State.ServerTokens.Clear();
        _emulator.State.Agents.Clear();
        _emulator.State.Worker.ProxyStripsAuthorization = false;
        _emulator.State.Oidc.AutoApprove = false;
    }

    private static PSCredential ProxyCredential => new(Account.UserName, Account.SecurePassword);

    /// <summary>Runs <paramref name="script"/> with "-Proxy $proxy -ProxyCredential $proxyCredential" available as variables.</summary>
    private PsResult RunThrough(PsSession session, ForwardingProxy proxy, string script, Dictionary<string, object?>? variables = null)
    {
        var all = new Dictionary<string, object?>(variables ?? new()) { ["proxy"] = proxy.Address, ["proxyCredential"] = ProxyCredential };
        var result = session.Run(script, all);
        Assert.True(result.Error == null, "The call failed: " + result.Error + "\n" + result.AllText());
        result.AssertNoSecret(Account.Password);
        proxy.AssertAccountOnlyInProxyAuthorization(Account);
        // Nothing went around the proxy: every request the emulator received came from one of its connections.
        var around = _emulator.State.Faults.Seen.Where(r => !proxy.IsOwnOutboundPort(r.RemotePort)).ToList();
        Assert.True(around.Count == 0, "Went around the proxy: " + string.Join(", ", around.Select(r => r.Method + " " + r.Path)));
        return result;
    }

    /// <summary>
    /// <paramref name="method"/> <paramref name="path"/> reached the emulator, each time from one of
    /// the proxy's connections, and the proxy forwarded it as often (counted at both ends).
    /// </summary>
    private void AssertAllThroughProxy(ForwardingProxy proxy, string method, string path)
    {
        var origin = new Uri(_emulator.BaseUrl);
        var proxied = proxy.Forwarded.Count(r => r.Method == method && Uri.TryCreate(r.Target, UriKind.Absolute, out var target)
            && target.Port == origin.Port && target.AbsolutePath == path);
        var reached = _emulator.State.Faults.Seen.Where(r => r.Method == method && r.Path == path).ToList();
        Assert.True(reached.Count > 0, $"{method} {path} never reached the emulator.");
        Assert.All(reached, r => Assert.True(proxy.IsOwnOutboundPort(r.RemotePort), $"{method} {path} came from port {r.RemotePort}, not through the proxy."));
        Assert.True(proxied == reached.Count, $"{method} {path}: {reached.Count} reached the emulator, {proxied} came through the proxy.");
    }

    /// <summary>
    /// The module keeps the platform's signing keys for 15 minutes per process; forgetting them
    /// makes the call under test fetch them, so that fetch can be seen at the proxy. The module's
    /// Core lives in its own load context, hence reflection.
    /// </summary>
    private static void ForgetSigningKeys()
    {
        var core = System.Runtime.Loader.AssemblyLoadContext.All.SelectMany(c => c.Assemblies)
            .Where(a => a.GetName().Name == "NaraAuth.Core").ToList();
        Assert.NotEmpty(core);
        foreach (var assembly in core)
        {
            var cache = assembly.GetType("NaraAuth.Core.Tokens.JwksCache", throwOnError: true)!;
            var shared = cache.GetField("Shared")!.GetValue(null)!;
            cache.GetMethod("Clear")!.Invoke(shared, null);
        }
    }

    private PsSession LoggedIn(string role, out string jwt)
    {
        var session = new PsSession();
        jwt = _emulator.State.MintToken(subject: "user_7", org: "org_1", role: role);
        EdgeConnectorTestKit.WriteTokenFile(Path.Combine(session.WorkDir, "auth-token.json"), jwt);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        return session;
    }

    [Fact]
    public void Platform_cmdlets_send_every_request_through_the_proxy_with_its_account_only_in_Proxy_Authorization()
    {
        using var session = LoggedIn("admin", out var jwt);
        using var proxy = new ForwardingProxy(Account);
        const string net = " -Proxy $proxy -ProxyCredential $proxyCredential";

        var created = RunThrough(session, proxy, "New-ServerToken -Name CI" + net);
        var id = (string)((dynamic)created.Single<object>()).Id;
        AssertAllThroughProxy(proxy, "POST", "/api/tokens");
        RunThrough(session, proxy, "Get-ServerToken" + net);
        AssertAllThroughProxy(proxy, "GET", "/api/tokens");
        RunThrough(session, proxy, "Revoke-ServerToken -Id $id -Confirm:$false" + net, new() { ["id"] = id });
        AssertAllThroughProxy(proxy, "DELETE", "/api/tokens/" + id);
        RunThrough(session, proxy, "Get-NaraAgent" + net);
        AssertAllThroughProxy(proxy, "GET", "/api/agent/run");
        RunThrough(session, proxy, "Start-NaraAgentRun summarizeTicket @{ ticketNumber = '1' }" + net);
        AssertAllThroughProxy(proxy, "POST", "/api/agent/run");
        var rest = RunThrough(session, proxy, "Invoke-NaraRestMethod /api/me/organizations" + net);
        AssertAllThroughProxy(proxy, "GET", "/api/me/organizations");
        rest.AssertNoSecret(jwt);
        // The bearer token went to the origin (through the proxy), the proxy's account did not.
        Assert.Contains(proxy.Forwarded, r => r.Header("Authorization") == "Bearer " + jwt);
    }

    [Fact]
    public void Connect_EdgeConnector_validates_and_syncs_the_bundle_through_the_proxy()
    {
        using var session = new PsSession();
        using var proxy = new ForwardingProxy(Account);
        var jwt = _emulator.State.MintToken(subject: "user_7", org: "org_1", role: "member");
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        ForgetSigningKeys();
        var result = RunThrough(session, proxy, "Connect-EdgeConnector -Token $jwt -Path $target -BaseUrl $base -Proxy $proxy -ProxyCredential $proxyCredential",
            new() { ["jwt"] = jwt, ["target"] = target, ["base"] = _emulator.BaseUrl });
        Assert.True((bool)((dynamic)result.Single<object>()).SignatureVerified);
        AssertAllThroughProxy(proxy, "GET", "/api/me/organizations");
        AssertAllThroughProxy(proxy, "GET", "/.well-known/jwks.json");
        Assert.True(File.Exists(Path.Combine(session.TempDir, "ec", "default-bundle.json")), "The bundle was not synced.");
        Assert.Contains(proxy.Forwarded, r => r.Target.Contains("bundle", StringComparison.OrdinalIgnoreCase));
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Connect_EdgeConnector_browser_login_polls_through_the_proxy()
    {
        using var session = new PsSession();
        session.SetEnv("LOCALAPPDATA", Path.Combine(session.Home, ".config"));
        using var proxy = new ForwardingProxy(Account);
        _emulator.State.PreApprove = true;
        var result = RunThrough(session, proxy, "Connect-EdgeConnector -NoBrowser -SkipBundleSync -BaseUrl $base -Proxy $proxy -ProxyCredential $proxyCredential",
            new() { ["base"] = _emulator.BaseUrl });
        Assert.Equal("Connected", ((dynamic)result.Single<object>()).Status.ToString());
        AssertAllThroughProxy(proxy, "POST", "/api/auth/desktop/start");
        AssertAllThroughProxy(proxy, "GET", "/api/auth/desktop/session/token");
        result.AssertNoSecret(_emulator.State.EdgeConnector.Logins.Single().Token!);
    }

    [Fact]
    public void Connect_EdgeConnector_deployment_handshake_goes_through_the_proxy_as_a_WebSocket_upgrade()
    {
        using var session = new PsSession();
        using var proxy = new ForwardingProxy(Account);
        const string secret = "sec_xyz789";
        var result = RunThrough(session, proxy, "Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -BaseUrl $base -Proxy $proxy -ProxyCredential $proxyCredential",
            new() { ["secret"] = new NetworkCredential(string.Empty, secret).SecurePassword, ["base"] = _emulator.BaseUrl });
        Assert.Equal("Verified", ((dynamic)result.Single<object>()).Status.ToString());
        AssertAllThroughProxy(proxy, "GET", "/api/edge-connector/ws");
        Assert.Contains(proxy.Forwarded, r => r.Header("Upgrade") == "websocket");
        result.AssertNoSecret(secret);
    }

    [Fact]
    public void Get_AuthToken_Verify_fetches_the_keys_through_the_proxy()
    {
        using var session = LoggedIn("member", out var jwt);
        using var proxy = new ForwardingProxy(Account);
        ForgetSigningKeys();
        var result = RunThrough(session, proxy, "Get-AuthToken -Verify -Proxy $proxy -ProxyCredential $proxyCredential");
        Assert.True((bool)((dynamic)result.Single<object>()).SignatureVerified);
        AssertAllThroughProxy(proxy, "GET", "/.well-known/jwks.json");
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void EdgePlane_login_and_whoami_go_through_the_proxy()
    {
        using var session = new PsSession();
        using var proxy = new ForwardingProxy(Account);
        _emulator.State.PreApprove = true;
        var login = RunThrough(session, proxy, "Invoke-OidcCliLogin -BaseUrl $base -NoBrowser -Proxy $proxy -ProxyCredential $proxyCredential",
            new() { ["base"] = _emulator.BaseUrl });
        Assert.Contains(proxy.Forwarded, r => r.Target.Contains("/auth/oidc/cli-initiate", StringComparison.Ordinal));
        var whoami = RunThrough(session, proxy, "Get-EdgePlaneIdentity -Proxy $proxy -ProxyCredential $proxyCredential");
        AssertAllThroughProxy(proxy, "GET", "/auth/whoami");
        var token = JsonDocument.Parse(File.ReadAllText(Path.Combine(session.Home, ".edgeplane", "session.json"))).RootElement.GetProperty("token").GetString()!;
        login.AssertNoSecret(token);
        whoami.AssertNoSecret(token);
    }

    [Fact]
    public void Direct_OIDC_device_code_login_goes_through_the_proxy()
    {
        using var session = new PsSession();
        using var proxy = new ForwardingProxy(Account);
        _emulator.State.Oidc.AutoApprove = true;
        _emulator.State.Oidc.Interval = 1;
        var result = RunThrough(session, proxy, "Invoke-OidcCliLogin -Authority $authority -ClientId naraauth-cli -UseDeviceCode -Force -Proxy $proxy -ProxyCredential $proxyCredential",
            new() { ["authority"] = _emulator.BaseUrl + "/oidc" });
        Assert.Equal("DeviceCode", ((dynamic)result.Single<object>()).Source.ToString());
        Assert.Contains(proxy.Forwarded, r => r.Target.Contains("/oidc/.well-known/openid-configuration", StringComparison.Ordinal));
        Assert.Contains(proxy.Forwarded, r => r.Method == "POST" && r.Target.Contains("/oidc/", StringComparison.Ordinal));
    }

    [Fact]
    public void Test_ApiKey_live_check_goes_through_the_proxy()
    {
        using var session = new PsSession();
        using var proxy = new ForwardingProxy(Account);
        var token = _emulator.State.Worker.Token;
        var result = RunThrough(session, proxy, "Test-ApiKey -Token $token -Uri $uri -Proxy $proxy -ProxyCredential $proxyCredential",
            new() { ["token"] = token, ["uri"] = _emulator.BaseUrl + "/worker/v1/models" });
        Assert.Equal("Accepted", ((dynamic)result.Single<object>()).Result.ToString());
        AssertAllThroughProxy(proxy, "GET", "/worker/v1/models");
        result.AssertNoSecret(token);
    }

    [Fact]
    public void Without_ProxyCredential_the_proxys_407_is_a_clear_error_and_nothing_reaches_the_server()
    {
        using var session = LoggedIn("member", out var jwt);
        using var proxy = new ForwardingProxy(Account);
        ForgetSigningKeys();
        var result = session.Run("Get-AuthToken -Verify -Proxy $args[0]", proxy.Address);
        var error = result.AssertError("ProxyAuthenticationRequired", ErrorCategory.AuthenticationError);
        Assert.Contains("-ProxyCredential", error.ErrorDetails.RecommendedAction);
        Assert.True(proxy.Challenges >= 1);
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/.well-known/jwks.json"));
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_credential_for_a_plain_http_server_is_not_handed_to_a_proxy_on_another_machine()
    {
        using var session = LoggedIn("member", out var jwt);
        // This machine's own name: not a loopback address, so a proxy there reads plain http off the network.
        var remoteProxy = new Uri($"http://{System.Net.Dns.GetHostName()}:9");
        var result = session.Run("Get-NaraAgent -Proxy $args[0] -TimeoutSec 5", remoteProxy);
        result.AssertError("CredentialOverPlainHttpProxy", ErrorCategory.SecurityError);
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/agent/run"));
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_407_from_the_server_itself_is_an_error_and_the_proxy_account_never_reaches_it()
    {
        using var session = new PsSession();
        using var origin = new ChallengingOrigin();
        const string token = "nara_tk_origin-407-bearer-value";
        // Reached directly, a 407 can only be the server's.
        var direct = session.Run("Invoke-NaraRestMethod /api/agents -Token $args[0] -BaseUrl $args[1]", token, origin.BaseUrl);
        direct.AssertError("ProxyChallengeFromServer", ErrorCategory.SecurityError);
        // Through a proxy with an account: the proxy's account goes to the proxy, never on to the server.
        using var proxy = new ForwardingProxy(Account);
        var proxied = session.Run("Invoke-NaraRestMethod /api/agents -Token $args[0] -BaseUrl $args[1] -Proxy $args[2] -ProxyCredential $args[3]",
            token, origin.BaseUrl, proxy.Address, ProxyCredential);
        Assert.NotNull(proxied.Error);
        proxy.AssertAccountOnlyInProxyAuthorization(Account);
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Account.UserName + ":" + Account.Password));
        Assert.NotEmpty(origin.Heads);
        foreach (var head in origin.Heads)
        {
            Assert.DoesNotContain(Account.Password, head, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, head, StringComparison.Ordinal);
            Assert.DoesNotContain("Proxy-Authorization", head, StringComparison.OrdinalIgnoreCase);
        }
        direct.AssertNoSecret(Account.Password);
        proxied.AssertNoSecret(Account.Password);
    }

    /// <summary>A server on loopback that answers every request with a proxy's 407 challenge, and keeps each request head it got.</summary>
    private sealed class ChallengingOrigin : IDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _heads = new();
        private readonly CancellationTokenSource _stop = new();

        public ChallengingOrigin()
        {
            _listener.Start();
            BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                        var stream = client.GetStream();
                        var buffer = new byte[65536];
                        var length = 0;
                        while (length < buffer.Length)
                        {
                            var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token);
                            if (read == 0) break;
                            length += read;
                            if (System.Text.Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
                        }
                        _heads.Enqueue(System.Text.Encoding.ASCII.GetString(buffer, 0, length));
                        var answer = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"not-a-proxy\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(answer), _stop.Token);
                    }
                    catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is System.Net.Sockets.SocketException || e is IOException)
                    {
                        if (_stop.IsCancellationRequested) return;
                    }
                }
            });
        }

        public string BaseUrl { get; }
        public IReadOnlyList<string> Heads => _heads.ToArray();

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }

    [Fact]
    public void A_wrong_proxy_address_is_refused_before_anything_else_even_when_no_request_would_be_sent()
    {
        using var session = new PsSession();
        // Get-AuthToken without -Verify sends nothing; its -Proxy is still checked first.
        session.Run("Get-AuthToken -Proxy ftp://proxy.example.com").AssertError("InvalidProxy", ErrorCategory.InvalidArgument);
        var withPassword = session.Run("Get-EdgePlaneIdentity -Proxy 'http://user:proxy-secret-in-url@proxy.example.com:8080'");
        withPassword.AssertError("CredentialsInUrl", ErrorCategory.SecurityError);
        withPassword.AssertNoSecret("proxy-secret-in-url");
        session.Run("Test-ApiKey -Token x -Uri http://127.0.0.1:1/ -ProxyCredential $args[0]", ProxyCredential)
            .AssertError("ProxyCredentialWithoutProxy", ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void TimeoutSec_bounds_one_request_of_Get_EdgePlaneIdentity()
    {
        using var session = new PsSession();
        _emulator.State.PreApprove = true;
        session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser", _emulator.BaseUrl).Single<object>();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/auth/whoami", TrickleInterval = TimeSpan.FromMilliseconds(200), Count = 10 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = session.Run("Get-EdgePlaneIdentity -TimeoutSec 1");
        clock.Stop();
        var error = result.AssertError("RequestTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains("1 s", error.Exception.Message);
        // whoami is retried as any GET, each attempt bounded by -TimeoutSec: far below the 100 s default.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Took {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public void TimeoutSec_bounds_the_token_validation_of_Connect_EdgeConnector()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(org: "org_1");
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/me/organizations", Delay = TimeSpan.FromSeconds(30), Count = 10 });
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -Path $args[1] -BaseUrl $args[2] -TimeoutSec 1", jwt, target, _emulator.BaseUrl);
        clock.Stop();
        result.AssertError("RequestTimedOut", ErrorCategory.OperationTimeout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"Took {clock.Elapsed.TotalSeconds:0.0} s.");
        Assert.False(File.Exists(target));
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_login_poll_never_outlasts_LoginTimeoutSec_however_long_TimeoutSec_is()
    {
        using var session = new PsSession();
        session.SetEnv("LOCALAPPDATA", Path.Combine(session.Home, ".config"));
        // The approval poll is held for ten minutes: only the login's own limit can end it in time.
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/auth/desktop/session/token", Delay = TimeSpan.FromMinutes(10), Count = 100 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = session.Run("Connect-EdgeConnector -NoBrowser -SkipBundleSync -LoginTimeoutSec 3 -TimeoutSec 600 -BaseUrl $args[0]", _emulator.BaseUrl);
        clock.Stop();
        result.AssertError("LoginTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains(_emulator.State.Faults.Seen, r => r.Path.StartsWith("/api/auth/desktop/session/token", StringComparison.Ordinal));
        // Far below both -TimeoutSec and the server's hold: the poll ended with the login wait.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"Took {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public void LoginTimeoutSec_still_chooses_the_browser_login_over_deployment_credentials_and_TimeoutSec_does_not()
    {
        using var session = new PsSession();
        session.SetEnv("LOCALAPPDATA", Path.Combine(session.Home, ".config"));
        session.SetEnv("DEPLOYMENT_ID", "dep_abc123");
        session.SetEnv("DEPLOYMENT_SECRET", "sec_xyz789");

        var browser = session.Run("Connect-EdgeConnector -NoBrowser -SkipBundleSync -LoginTimeoutSec 1 -BaseUrl $args[0]", _emulator.BaseUrl);
        browser.AssertError("LoginTimedOut", ErrorCategory.OperationTimeout);

        var deployment = session.Run("Connect-EdgeConnector -TimeoutSec 5 -BaseUrl $args[0]", _emulator.BaseUrl);
        Assert.Equal("Deployment", ((dynamic)deployment.Single<object>()).Mode.ToString());
    }
}
