using System.Net;
using System.Net.Sockets;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Test-ApiKey -Uri against the emulator's Edge Server (/edge-server) and NodeTool worker (/worker) over real HTTP.</summary>
public class ApiKeyLiveCheckTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public ApiKeyLiveCheckTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeServer.Clear();
        _emulator.State.Worker.ProxyStripsAuthorization = false;
        _emulator.State.Worker.Token = "worker-token-" + Guid.NewGuid().ToString("N");
    }

    private string EdgeUri => _emulator.BaseUrl + "/edge-server/api/whoami";
    private string WorkerUri => _emulator.BaseUrl + "/worker/v1/models";

    [Fact]
    public void Edge_Server_accepts_a_key_whose_hash_it_is_configured_with()
    {
        using var session = new PsSession();
        dynamic created = session.Run("New-ApiKey -Id ci -AsPlainText").Single<object>();
        string key = created.ApiKey;
        _emulator.State.EdgeServer.AddIdentity("ci", (string)created.Hash);

        var result = session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1]", key, EdgeUri);
        dynamic check = result.Single<object>();
        Assert.Equal("Accepted", (string)check.Result.ToString());
        Assert.True((bool)check.Accepted);
        Assert.Equal(200, (int)check.StatusCode);
        Assert.Null((bool?)check.HealthAnswered);
        result.AssertNoSecret(key);
        Assert.True(session.Run("Test-ApiKey -Token $args[0] -Uri $args[1] -Quiet", key, EdgeUri).Single<bool>());
    }

    [Fact]
    public void Edge_Server_rejects_another_key_and_health_shows_the_server_is_up()
    {
        using var session = new PsSession();
        dynamic created = session.Run("New-ApiKey -AsPlainText").Single<object>();
        _emulator.State.EdgeServer.AddIdentity("ci", (string)created.Hash);
        var wrong = "wrong-key-" + Guid.NewGuid().ToString("N");

        var result = session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1]", wrong, EdgeUri);
        dynamic check = result.Single<object>();
        Assert.Equal("Rejected", (string)check.Result.ToString());
        Assert.Equal(401, (int)check.StatusCode);
        Assert.Equal("Invalid API key.", (string)check.ServerReason);
        Assert.True((bool)check.HealthAnswered);
        Assert.Equal(_emulator.BaseUrl + "/edge-server/health", (string)check.HealthUri);
        Assert.Contains("key or token itself is wrong", (string)check.Message);
        result.AssertNoSecret(wrong);
        Assert.False(session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1] -Quiet", wrong, EdgeUri).Single<bool>());
    }

    [Fact]
    public void A_key_in_the_query_of_Uri_is_in_no_stream_no_output_object_and_no_transcript_even_when_echoed()
    {
        using var session = new PsSession();
        var queryKey = "query-key-" + Guid.NewGuid().ToString("N");
        var wrong = "wrong-key-" + Guid.NewGuid().ToString("N");
        var uri = EdgeUri + "?api_key=" + queryKey;
        // A hostile server quotes the address it was called at, query and all.
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule
        {
            PathPrefix = "/edge-server/api/whoami", Status = 401, Count = 4,
            Body = "{\"detail\":\"no key like " + queryKey + " at /edge-server/api/whoami?api_key=" + queryKey + "\"}",
        });

        var result = session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1] -Verbose", wrong, uri);
        dynamic check = result.Single<object>();
        Assert.Equal("Rejected", (string)check.Result.ToString());
        Assert.Equal(EdgeUri, (string)check.Uri);
        Assert.Contains("no key like ***", (string)check.ServerReason);
        Assert.Contains(result.Verbose, v => v.Message.Contains(EdgeUri + " with the credential", StringComparison.Ordinal));
        result.AssertNoSecret(queryKey);
        result.AssertNoSecret(wrong);

        // A refused address is named without its query too.
        var refused = session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1]", wrong, "ftp://127.0.0.1/x?api_key=" + queryKey);
        refused.AssertError("InvalidBaseUrl");
        refused.AssertNoSecret(queryKey);

        var transcript = TranscriptScan.Run(session, "Test-ApiKey -ApiKey $env:SCAN_WRONG -Uri $env:SCAN_URI | Format-List *",
            new Dictionary<string, string> { ["SCAN_WRONG"] = wrong, ["SCAN_URI"] = uri });
        Assert.Contains("Rejected", transcript);
        TranscriptScan.AssertNoSecret(transcript, queryKey);
    }

    [Fact]
    public void Worker_accepts_its_token()
    {
        using var session = new PsSession();
        var token = _emulator.State.Worker.Token;
        var result = session.Run("Test-ApiKey -Token $args[0] -Uri $args[1]", token, WorkerUri);
        dynamic check = result.Single<object>();
        Assert.Equal("Accepted", (string)check.Result.ToString());
        result.AssertNoSecret(token);
    }

    [Fact]
    public void Worker_wrong_token_reports_its_detail()
    {
        using var session = new PsSession();
        const string wrong = "not-the-worker-token";
        var result = session.Run("Test-ApiKey -Token $args[0] -Uri $args[1]", wrong, WorkerUri);
        dynamic check = result.Single<object>();
        Assert.Equal("Rejected", (string)check.Result.ToString());
        Assert.Equal("Invalid authentication token", (string)check.ServerReason);
        Assert.True((bool)check.HealthAnswered);
        Assert.Equal(_emulator.BaseUrl + "/worker/health", (string)check.HealthUri);
        result.AssertNoSecret(wrong);
    }

    [Fact]
    public void Worker_malformed_header_reports_its_detail_and_the_key_is_flagged()
    {
        using var session = new PsSession();
        const string spaced = "half-token other-half";
        var result = session.Run("Test-ApiKey -Token $args[0] -Uri $args[1]", spaced, WorkerUri);
        dynamic check = result.Single<object>();
        Assert.Equal("Rejected", (string)check.Result.ToString());
        Assert.Equal("Invalid authorization header format. Use 'Authorization: Bearer YOUR_TOKEN'", (string)check.ServerReason);
        Assert.Contains(result.Warnings, w => w.Message.Contains("whitespace inside"));
        result.AssertNoSecret(spaced);
        result.AssertNoSecret("other-half");
    }

    [Fact]
    public void Worker_missing_header_reports_its_detail_and_names_the_likely_cause()
    {
        using var session = new PsSession();
        _emulator.State.Worker.ProxyStripsAuthorization = true;
        var token = _emulator.State.Worker.Token;
        var result = session.Run("Test-ApiKey -Token $args[0] -Uri $args[1]", token, WorkerUri);
        dynamic check = result.Single<object>();
        Assert.Equal("Rejected", (string)check.Result.ToString());
        Assert.Equal("Authorization header required. Use 'Authorization: Bearer YOUR_TOKEN'", (string)check.ServerReason);
        Assert.Contains("did not reach", (string)check.Message);
        result.AssertNoSecret(token);
    }

    [Fact]
    public void Server_down_is_told_apart_from_a_wrong_key()
    {
        using var session = new PsSession();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        const string key = "some-key-for-a-down-server";
        var result = session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1] -TimeoutSec 5", key, $"http://127.0.0.1:{port}/edge-server/api/whoami");
        dynamic check = result.Single<object>();
        Assert.Equal("Unreachable", (string)check.Result.ToString());
        Assert.False((bool)check.Accepted);
        Assert.Null((int?)check.StatusCode);
        Assert.False((bool)check.HealthAnswered);
        Assert.Contains("server is down", (string)check.Message);
        result.AssertNoSecret(key);
    }

    [Fact]
    public void Rejection_while_health_does_not_answer_says_so()
    {
        using var session = new PsSession();
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule { PathPrefix = "/edge-server/health", Status = 503, Count = 5 });
        var result = session.Run("Test-ApiKey -ApiKey wrong-secret-key -Uri $args[0] -TimeoutSec 5", EdgeUri);
        dynamic check = result.Single<object>();
        Assert.Equal("Rejected", (string)check.Result.ToString());
        Assert.False((bool)check.HealthAnswered);
        Assert.Contains("No public /health endpoint answered", (string)check.Message);
        result.AssertNoSecret("wrong-secret-key");
    }

    [Fact]
    public void Ctrl_C_ends_a_slow_live_check_promptly()
    {
        using var session = new PsSession();
        _emulator.State.Faults.Add(new NaraAuth.Emulator.Infrastructure.FaultRule { PathPrefix = "/edge-server/api/whoami", Delay = TimeSpan.FromSeconds(30), Count = 3 });
        using var running = session.Start("Test-ApiKey -ApiKey slow-secret-key -Uri $args[0]", EdgeUri);
        Thread.Sleep(700);
        Assert.False(running.IsCompleted);
        var took = running.Stop();
        // The contract is "within a second"; the margin absorbs a loaded CI machine.
        Assert.True(took < TimeSpan.FromSeconds(2), $"Stopping took {took.TotalMilliseconds:0} ms");
        var result = running.Finish(TimeSpan.FromSeconds(5));
        Assert.Empty(result.Output);
        result.AssertNoSecret("slow-secret-key");
    }

    [Fact]
    public void Plain_http_to_a_remote_host_is_refused_before_sending_the_key()
    {
        using var session = new PsSession();
        var result = session.Run("Test-ApiKey -ApiKey secret-key-value -Uri http://edge.example.com/api");
        result.AssertError("InsecureBaseUrl", System.Management.Automation.ErrorCategory.SecurityError);
        result.AssertNoSecret("secret-key-value");
    }
}
