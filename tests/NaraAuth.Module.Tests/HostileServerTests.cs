using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>
/// A hostile platform, through the engine over real HTTP: it redirects (HTTP and the WebSocket
/// upgrade) to another host, echoes the credentials it received, answers slowly, hugely or with a
/// Retry-After of a day, and puts control sequences into token claims. The canary on 127.0.0.2
/// is that other host; it must never be reached, and no secret may reach any stream.
/// </summary>
public sealed class HostileServerTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string DeploymentId = "dep_abc123";
    private const string DeploymentSecret = "sec_xyz789";
    private readonly EmulatorFixture _emulator;
    private readonly CanaryListener _canary = CanaryListener.Start();

    public HostileServerTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
        _emulator.State.ServerTokens.Clear();
        _emulator.State.Agents.Clear();
    }

    public void Dispose() => _canary.Dispose();

    private void AssertCanaryUntouched(params string[] secrets)
    {
        Thread.Sleep(100);
        var report = _canary.Report;
        foreach (var secret in secrets) report = report.Replace(secret, "<SECRET>");
        Assert.False(_canary.Touched, report);
    }

    private string ServerToken(string name = "CI") => _emulator.State.ServerTokens.Create("org_1", name, DateTimeOffset.UtcNow).Secret;

    private static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text) s.AppendChar(c);
        return s;
    }

    private PsSession SessionWithAdminLogin(out string jwt)
    {
        var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        jwt = _emulator.State.MintToken();
        WriteTokenFile(Path.Combine(session.WorkDir, "auth-token.json"), jwt);
        return session;
    }

    [Fact]
    public void A_redirected_API_call_is_refused_and_the_other_host_hears_nothing()
    {
        using var session = new PsSession();
        var token = ServerToken();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", RedirectTo = _canary.BaseUrl + "/api/agent/run" });
        var result = session.Run("Invoke-NaraRestMethod /api/agent/run -Token $args[0] -BaseUrl $args[1]", token, _emulator.BaseUrl);
        var error = result.AssertError("RedirectRefused", ErrorCategory.SecurityError);
        Assert.Contains(_canary.HostAndPort, error.Exception.Message);
        Assert.Equal(1, _emulator.State.Faults.CountOf("GET", "/api/agent/run"));
        result.AssertNoSecret(token);
        AssertCanaryUntouched(token);
    }

    [Fact]
    public void A_redirected_WebSocket_upgrade_is_refused_and_the_deployment_secret_stays_home()
    {
        using var session = new PsSession();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/edge-connector/ws", RedirectTo = _canary.BaseUrl + "/api/edge-connector/ws" });
        var target = Path.Combine(session.TempDir, "deployment.json");
        var result = session.Run("Connect-EdgeConnector -DeploymentId $id -DeploymentSecret $secret -BaseUrl $url -SaveCredentialsTo $target",
            new Dictionary<string, object?> { ["id"] = DeploymentId, ["secret"] = Secure(DeploymentSecret), ["url"] = _emulator.BaseUrl, ["target"] = target });
        var error = result.AssertError("RedirectRefused", ErrorCategory.SecurityError);
        Assert.Contains(_canary.HostAndPort, error.Exception.Message);
        Assert.Empty(_emulator.State.EdgeConnector.AcceptedSockets);
        Assert.False(File.Exists(target));
        result.AssertNoSecret(DeploymentSecret);
        AssertCanaryUntouched(DeploymentSecret);
    }

    [Fact]
    public void A_WebSocket_answer_with_a_wrong_accept_key_is_a_protocol_failure_not_a_rejection()
    {
        using var session = new PsSession();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/edge-connector/ws", WrongWebSocketAccept = true });
        var result = session.Run("Connect-EdgeConnector -DeploymentId $id -DeploymentSecret $secret -BaseUrl $url",
            new Dictionary<string, object?> { ["id"] = DeploymentId, ["secret"] = Secure(DeploymentSecret), ["url"] = _emulator.BaseUrl });
        var error = result.AssertError("WebSocketHandshakeFailed", ErrorCategory.ProtocolError);
        Assert.Contains("Sec-WebSocket-Accept", error.Exception.Message);
        Assert.DoesNotContain("rejected", error.Exception.Message);
        result.AssertNoSecret(DeploymentSecret);
    }

    [Theory]
    [InlineData("/ //{0}/x")]
    [InlineData("/\t//{0}/x")]
    [InlineData("/api/agent/run\n//{0}")]
    [InlineData("/api/agent run")]
    public void A_path_with_a_space_tab_or_line_break_is_its_own_error_and_sends_nothing(string template)
    {
        using var session = new PsSession();
        var token = ServerToken();
        var path = string.Format(template, _canary.HostAndPort);
        var result = session.Run("Invoke-NaraRestMethod -Path $args[0] -Token $args[1] -BaseUrl $args[2]", path, token, _emulator.BaseUrl);
        var error = result.AssertError("InvalidApiPath", ErrorCategory.InvalidArgument);
        Assert.IsNotType<UriFormatException>(error.Exception);
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/agent/run"));
        result.AssertNoSecret(token);
        AssertCanaryUntouched(token);
    }

    [Fact]
    public void A_user_name_and_password_in_the_base_url_are_refused_and_never_shown()
    {
        using var session = new PsSession();
        const string password = "pa55w0rd-in-the-url";
        var token = ServerToken();
        var url = $"http://ada:{password}@127.0.0.1:{new Uri(_emulator.BaseUrl).Port}";
        var parameter = session.Run("Get-NaraAgent -Token $args[0] -BaseUrl $args[1]", token, url);
        parameter.AssertError("CredentialsInUrl", ErrorCategory.SecurityError);
        parameter.AssertNoSecret(password);
        session.SetEnv("NARA_BASE_URL", url);
        var environment = session.Run("Get-NaraAgent -Token $args[0]", token);
        Assert.Contains("NARA_BASE_URL", environment.AssertError("CredentialsInUrl", ErrorCategory.SecurityError).Exception.Message);
        environment.AssertNoSecret(password);
        var live = session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1]", token, url + "/edge-server/api/whoami");
        live.AssertError("CredentialsInUrl", ErrorCategory.SecurityError);
        live.AssertNoSecret(password);
        live.AssertNoSecret(token);
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/agent/run"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(200)]
    public void Invoke_NaraRestMethod_never_quotes_an_echoed_token_whatever_the_status(int status)
    {
        using var session = new PsSession();
        var token = ServerToken();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", EchoCredentials = true, Status = status });
        var result = session.Run("Invoke-NaraRestMethod /api/agent/run -Token $args[0] -BaseUrl $args[1]", token, _emulator.BaseUrl);
        if (status == 200)
        {
            dynamic body = Assert.Single(result.Output);
            Assert.Contains("***", (string)body.error_description);
        }
        else
        {
            Assert.Contains("***", result.Error!.Exception.Message);
        }
        result.AssertNoSecret(token);
    }

    [Fact]
    public void Connect_EdgeConnector_never_quotes_an_echoed_deployment_secret()
    {
        using var session = new PsSession();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/edge-connector/ws", EchoCredentials = true, Status = 401 });
        session.SetEnv("DEPLOYMENT_ID", DeploymentId);
        session.SetEnv("DEPLOYMENT_SECRET", DeploymentSecret);
        var result = session.Run("Connect-EdgeConnector -BaseUrl $args[0]", _emulator.BaseUrl);
        var error = result.AssertError("DeploymentCredentialsRejected", ErrorCategory.AuthenticationError);
        Assert.Contains("***", error.Exception.Message);
        result.AssertNoSecret(DeploymentSecret);
    }

    [Fact]
    public void Get_AuthToken_Verify_never_quotes_an_echoed_token()
    {
        using var session = SessionWithAdminLogin(out var jwt);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/me/organizations", EchoCredentials = true, Status = 401 });
        var result = session.Run("Get-AuthToken -Verify");
        var error = result.AssertError("TokenRejected", ErrorCategory.AuthenticationError);
        Assert.Contains("***", error.Exception.Message);
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void New_and_Get_ServerToken_never_quote_an_echoed_login()
    {
        using var session = SessionWithAdminLogin(out var jwt);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", EchoCredentials = true, Status = 403 });
        var created = session.Run("New-ServerToken -Name CI");
        Assert.Contains("***", created.AssertError("Forbidden", ErrorCategory.PermissionDenied).Exception.Message);
        created.AssertNoSecret(jwt);
        Assert.Equal(1, _emulator.State.Faults.CountOf("POST", "/api/tokens"));

        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "GET", EchoCredentials = true, Status = 400 });
        var listed = session.Run("Get-ServerToken");
        Assert.Contains("***", listed.AssertError("UnexpectedStatus", ErrorCategory.ProtocolError).Exception.Message);
        listed.AssertNoSecret(jwt);
    }

    [Fact]
    public void Get_EdgePlaneIdentity_never_quotes_an_echoed_session_token()
    {
        using var session = new PsSession();
        _emulator.State.PreApprove = true;
        var login = session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser", _emulator.BaseUrl);
        dynamic info = login.Single<object>();
        var sessionToken = TokenIn((string)info.Path);
        Assert.StartsWith("mcs_", sessionToken);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/auth/whoami", EchoCredentials = true, Status = 400 });
        var result = session.Run("Get-EdgePlaneIdentity");
        Assert.Contains("***", result.AssertError("UnexpectedStatus", ErrorCategory.ProtocolError).Exception.Message);
        result.AssertNoSecret(sessionToken);
    }

    [Fact]
    public void Test_ApiKey_Uri_never_puts_an_echoed_key_into_its_result()
    {
        using var session = new PsSession();
        const string key = "nara_ak_live-key-echoed-by-the-server";
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/edge-server/api/whoami", EchoCredentials = true, Status = 401 });
        var result = session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1]", key, _emulator.BaseUrl + "/edge-server/api/whoami");
        dynamic check = result.Single<object>();
        Assert.Equal("Rejected", (string)check.Result.ToString());
        Assert.Contains("***", (string)check.ServerReason);
        Assert.DoesNotContain(key, (string)check.ServerReason);
        Assert.DoesNotContain(key, (string)check.Message);
        result.AssertNoSecret(key);
    }

    [Fact]
    public void An_oversized_answer_is_a_clear_error()
    {
        using var session = new PsSession();
        var token = ServerToken();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", OversizedBytes = 17L * 1024 * 1024 });
        var result = session.Run("Invoke-NaraRestMethod /api/agent/run -Token $args[0] -BaseUrl $args[1]", token, _emulator.BaseUrl);
        Assert.Contains("16 MiB", result.AssertError("ResponseTooLarge", ErrorCategory.LimitsExceeded).Exception.Message);
        result.AssertNoSecret(token);
    }

    [Fact]
    public void A_trickling_body_ends_at_TimeoutSec()
    {
        using var session = new PsSession();
        var token = ServerToken();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", TrickleInterval = TimeSpan.FromMilliseconds(200), Count = 10 });
        var watch = Stopwatch.StartNew();
        var result = session.Run("Get-NaraAgent -TimeoutSec 2 -Token $args[0] -BaseUrl $args[1]", token, _emulator.BaseUrl);
        // One attempt of 2 s, then retries of the same: bounded, far from "runs past 150 s".
        result.AssertError("RequestTimedOut", ErrorCategory.OperationTimeout);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        result.AssertNoSecret(token);
    }

    [Fact]
    public void Ctrl_C_stops_a_trickling_body_within_a_second()
    {
        using var session = new PsSession();
        var token = ServerToken();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", TrickleInterval = TimeSpan.FromMilliseconds(200) });
        using var running = session.Start("Get-NaraAgent -Token $args[0] -BaseUrl $args[1]", token, _emulator.BaseUrl);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (_emulator.State.Faults.CountOf("GET", "/api/agent/run") == 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Thread.Sleep(600); // inside the body
        var took = running.Stop();
        Assert.True(took < TimeSpan.FromSeconds(1), $"stopping took {took}");
        var result = running.Finish(TimeSpan.FromSeconds(5));
        Assert.Empty(result.Output);
        result.AssertNoSecret(token);
    }

    [Fact]
    public void A_Retry_After_of_a_day_fails_at_once_with_the_servers_time()
    {
        using var session = new PsSession();
        var token = ServerToken();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", Status = 503, RetryAfterSeconds = 86400, Count = 5 });
        var watch = Stopwatch.StartNew();
        var result = session.Run("Get-NaraAgent -Token $args[0] -BaseUrl $args[1]", token, _emulator.BaseUrl);
        var error = result.AssertError("ServerError", ErrorCategory.ResourceUnavailable);
        Assert.Contains("24 h (Retry-After)", error.Exception.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(1, _emulator.State.Faults.CountOf("GET", "/api/agent/run"));
        result.AssertNoSecret(token);
    }

    [Fact]
    public void A_login_code_that_expires_in_2099_is_waited_for_at_most_the_local_limit()
    {
        using var session = new PsSession();
        session.SetEnv("LOCALAPPDATA", Path.Combine(session.Home, ".config"));
        _emulator.State.EdgeConnector.CodeLifetime = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero) - DateTimeOffset.UtcNow;
        using var running = session.Start("Connect-EdgeConnector -NoBrowser -BaseUrl $args[0]", _emulator.BaseUrl);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        ProgressRecord? countdown = null;
        while (countdown == null && DateTime.UtcNow < deadline)
        {
            countdown = session.Host.Recorder.Progress.FirstOrDefault(p => p.SecondsRemaining > 0);
            Thread.Sleep(50);
        }
        Assert.NotNull(countdown);
        Assert.InRange(countdown!.SecondsRemaining, 1, 15 * 60);
        Assert.True(running.Stop() < TimeSpan.FromSeconds(1));
        running.Finish(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void In_GitHub_Actions_a_multi_line_secret_is_masked_line_by_line_before_it_is_written()
    {
        using var session = SessionWithAdminLogin(out var jwt);
        session.SetEnv("GITHUB_ACTIONS", "true");
        const string lineOne = "nara_tk_first-line-of-the-secret";
        const string lineTwo = "second-line-of-the-secret-AAAA";
        var body = "{\"id\":\"tok_ml\",\"name\":\"CI\",\"token\":\"" + lineOne + "\\n" + lineTwo + "\",\"createdAt\":\"2026-01-01T00:00:00.000Z\"}";
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", Status = 201, Body = body });
        var result = session.Run("New-ServerToken -Name CI -AsPlainText | ForEach-Object { $Host.UI.WriteLine('OUTPUT ' + $_.Id); $_ }");
        var first = result.HostText.IndexOf("::add-mask::" + lineOne + "\n", StringComparison.Ordinal);
        var second = result.HostText.IndexOf("::add-mask::" + lineTwo + "\n", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, "each line needs its own masking command: " + result.HostText);
        Assert.True(result.HostText.IndexOf("OUTPUT tok_ml", StringComparison.Ordinal) > second, "the value was written before the masking commands");
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Control_sequences_in_an_unverified_tokens_claims_never_reach_a_stream()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken(subject: "ada\u001b]0;owned\u0007\u001b[2J", role: "member\u001b[31m", edit: p => p["org_name"] = "Acme\u001b[8m");
        session.SetEnv("NARA_TOKEN", jwt);
        var call = session.Run("Get-NaraAgent | Out-Null");
        Assert.Contains(call.Verbose, v => v.Message.Contains("the login of ada"));
        WriteTokenFile(Path.Combine(session.WorkDir, "auth-token.json"), jwt);
        var info = session.Run("Get-AuthToken");
        dynamic token = info.Single<object>();
        Assert.Equal("ada", (string)token.Subject);
        Assert.Equal("Acme", (string)token.OrganizationName);
        foreach (var result in new[] { call, info })
        {
            Assert.DoesNotContain('\u001b', result.AllText());
            Assert.DoesNotContain('\u0007', result.AllText());
            result.AssertNoSecret(jwt);
        }
    }

    [Fact]
    public void The_secret_scan_reads_the_Format_List_view_of_every_error_in_the_session()
    {
        using var session = new PsSession();
        session.Run("Get-AuthToken -Path $args[0]", "no-such-file.json").AssertError("TokenFileNotFound");
        var forensic = session.ForensicText();
        Assert.Contains("FullyQualifiedErrorId : TokenFileNotFound", forensic);
        Assert.Contains("NaraAuth.Core.Errors.NaraAuthException: No token file was found", forensic);
    }

    [Fact]
    public void A_Start_Transcript_file_of_real_pwsh_holds_no_echoed_or_redirected_secret()
    {
        using var session = new PsSession();
        var token = ServerToken();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", EchoCredentials = true, Status = 400 });
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/edge-connector/ws", RedirectTo = _canary.BaseUrl + "/api/edge-connector/ws" });
        var transcript = TranscriptScan.Run(session, """
            try { Invoke-NaraRestMethod /api/agent/run -Token $env:SCAN_TOKEN -BaseUrl $env:SCAN_URL } catch { $_ | Out-Default }
            try { Connect-EdgeConnector -DeploymentId $env:SCAN_ID -DeploymentSecret (ConvertTo-SecureString $env:SCAN_SECRET -AsPlainText -Force) -BaseUrl $env:SCAN_URL } catch { $_ | Out-Default }
            """, new Dictionary<string, string>
            {
                ["SCAN_TOKEN"] = token, ["SCAN_URL"] = _emulator.BaseUrl, ["SCAN_ID"] = DeploymentId, ["SCAN_SECRET"] = DeploymentSecret,
            });
        // The transcript really holds both errors, so the scan below looks at something.
        Assert.Contains("***", transcript);
        Assert.Contains("RedirectRefused", transcript);
        TranscriptScan.AssertNoSecret(transcript, token);
        TranscriptScan.AssertNoSecret(transcript, DeploymentSecret);
        AssertCanaryUntouched(token, DeploymentSecret);
    }
    [Fact]
    public void A_stored_secret_the_call_did_not_send_is_redacted_from_server_text_too()
    {
        // The worker token was only read from its file in this session; a server that somehow
        // knows it and quotes it back must still not get it into a message.
        using var session = new PsSession();
        var workerToken = "wkr_" + Guid.NewGuid().ToString("N");
        var config = Path.Combine(session.Home, "deployment.yaml");
        File.WriteAllText(config, "worker_auth_token: " + workerToken + "\n");
        session.SetEnv("NODETOOL_CONFIG_PATH", config);
        Assert.Empty(session.Run("Get-AuthToken -Worker | Out-Null").Errors);

        var secret = ServerToken();
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", Method = "GET", Status = 400,
            Body = "{\"detail\": \"worker token " + workerToken + " is not allowed here\"}" });
        var result = session.Run("Get-NaraAgent -Token $args[0] -BaseUrl $args[1]", secret, _emulator.BaseUrl);

        result.AssertError("UnexpectedStatus");
        Assert.Contains("is not allowed here", result.Error!.Exception.Message);
        result.AssertNoSecret(workerToken);
        result.AssertNoSecret(secret);
    }
}
