using System.Management.Automation;
using System.Net;
using System.Xml.Linq;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Invoke-NaraRestMethod and what every platform cmdlet shares: credential order, errors, proxy, timeout.</summary>
public class InvokeNaraRestMethodTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public InvokeNaraRestMethodTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.ServerTokens.Clear();
        _emulator.State.Agents.Clear();
    }

    private static void WriteTokenFile(string directory, string jwt) => TestTokenFile.WriteIn(directory, jwt);

    [Fact]
    public void Lists_and_runs_agents_and_returns_PowerShell_objects()
    {
        using var session = new PsSession();
        var secret = _emulator.State.ServerTokens.Create("org_1", "CI", DateTimeOffset.UtcNow).Secret;
        session.SetEnv("NARA_TOKEN", secret);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);

        var list = session.Run("Invoke-NaraRestMethod /api/agent/run");
        Assert.Equal(2, list.Output.Count);
        Assert.Equal("summarizeTicket", (string)((dynamic)list.Output[0]).name);

        var run = session.Run("Invoke-NaraRestMethod -Method Post -Path /api/agent/run -Body @{ agentName = 'summarizeTicket'; args = @{ ticketNumber = '1234'; urgent = $true; tags = @('a', 'b') } }");
        Assert.Empty(run.Errors);
        dynamic result = Assert.Single(run.Output);
        Assert.Equal("completed", (string)result.status);
        var recorded = Assert.Single(_emulator.State.Agents.Runs);
        Assert.Equal("1234", recorded.Args["ticketNumber"]!.GetValue<string>());
        Assert.True(recorded.Args["urgent"]!.GetValue<bool>());
        Assert.Equal(2, recorded.Args["tags"]!.AsArray().Count);

        // A PSCustomObject body and a raw JSON string body work too.
        session.Run("Invoke-NaraRestMethod -Method POST /api/agent/run ([pscustomobject]@{ agentName = 'classifyEmail'; args = [pscustomobject]@{ id = 7 } })");
        session.Run("Invoke-NaraRestMethod -Method POST /api/agent/run '{\"agentName\": \"classifyEmail\", \"args\": {\"id\": 8}}'");
        var runs = _emulator.State.Agents.Runs;
        Assert.Equal(3, runs.Count);
        Assert.Equal(7, runs[1].Args["id"]!.GetValue<long>());
        Assert.Equal(8, runs[2].Args["id"]!.GetValue<long>());
        list.AssertNoSecret(secret);
        run.AssertNoSecret(secret);
    }

    [Fact]
    public void Credential_order_is_Token_then_NARA_TOKEN_then_the_stored_login()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken(subject: "user_file", role: "member");
        WriteTokenFile(session.WorkDir, jwt);
        var fromEnv = _emulator.State.ServerTokens.Create("org_1", "from-env", DateTimeOffset.UtcNow).Secret;
        var fromParameter = _emulator.State.ServerTokens.Create("org_1", "from-parameter", DateTimeOffset.UtcNow).Secret;
        const string script = "Start-NaraAgentRun summarizeTicket @{ n = 1 } @args | Out-Null";

        var stored = session.Run(script);
        Assert.Contains(stored.Verbose, v => v.Message.Contains("token file"));
        session.SetEnv("NARA_TOKEN", fromEnv);
        var env = session.Run(script);
        Assert.Contains(env.Verbose, v => v.Message.Contains("NARA_TOKEN"));
        var secure = new NetworkCredential(string.Empty, fromParameter).SecurePassword;
        var parameter = session.Run("Start-NaraAgentRun summarizeTicket @{ n = 1 } -Token $args[0] | Out-Null", secure);
        var asString = session.Run("Start-NaraAgentRun summarizeTicket @{ n = 1 } -Token $args[0] | Out-Null", fromParameter);

        Assert.Equal(new[] { "user:user_file", "token:from-env", "token:from-parameter", "token:from-parameter" },
            _emulator.State.Agents.Runs.Select(r => r.Caller));
        foreach (var result in new[] { stored, env, parameter, asString })
        {
            Assert.Empty(result.Errors);
            result.AssertNoSecret(jwt);
            result.AssertNoSecret(fromEnv);
            result.AssertNoSecret(fromParameter);
        }
    }

    [Fact]
    public void Errors_quote_the_servers_reason_and_never_the_credential()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        const string bogus = "nara_tk_this-is-not-a-real-token";
        var unauthorized = session.Run("Invoke-NaraRestMethod /api/agent/run -Token $args[0]", bogus);
        var error = unauthorized.AssertError("Unauthorized", ErrorCategory.AuthenticationError);
        Assert.Contains("The server token is revoked or unknown.", error.Exception.Message);
        unauthorized.AssertNoSecret(bogus);

        var member = _emulator.State.MintToken(role: "member");
        var forbidden = session.Run("Invoke-NaraRestMethod /api/tokens -Token $args[0]", member);
        var denied = forbidden.AssertError("Forbidden", ErrorCategory.PermissionDenied);
        Assert.Contains("requires the admin role", denied.Exception.Message);
        forbidden.AssertNoSecret(member);

        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", Status = 407 });
        // Reached directly, a 407 can only be the server's own: refused as such, no proxy account offered.
        var proxy = session.Run("Invoke-NaraRestMethod /api/agent/run -Token $args[0]", member);
        proxy.AssertError("ProxyChallengeFromServer", ErrorCategory.SecurityError);
        proxy.AssertNoSecret(member);
    }

    [Fact]
    public void Expired_JWT_in_NARA_TOKEN_says_log_in_again_and_sends_nothing()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var expired = _emulator.State.MintToken(lifetime: TimeSpan.FromHours(-2));
        session.SetEnv("NARA_TOKEN", expired);
        var result = session.Run("Invoke-NaraRestMethod /api/agent/run");
        var error = result.AssertError("TokenExpired", ErrorCategory.AuthenticationError);
        Assert.Contains("NARA_TOKEN", error.Exception.Message);
        Assert.Contains("Log in again", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/agent/run"));
        result.AssertNoSecret(expired);
    }

    [Fact]
    public void Without_any_credential_the_error_says_how_to_get_one()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var result = session.Run("Get-NaraAgent");
        var error = result.AssertError("NoCredential", ErrorCategory.AuthenticationError);
        Assert.Contains("NARA_TOKEN", error.Exception.Message);
        Assert.Contains("Connect-EdgeConnector", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Path_must_stay_on_the_platform()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        const string token = "nara_tk_never-sent-anywhere";
        foreach (var path in new[] { "https://evil.example.com/api", "//evil.example.com/api", "api/agent/run" })
        {
            var result = session.Run("Invoke-NaraRestMethod -Path $args[0] -Token $args[1]", path, token);
            result.AssertError("InvalidApiPath", ErrorCategory.InvalidArgument);
            result.AssertNoSecret(token);
        }
        session.Run("Invoke-NaraRestMethod /api/agent/run -Token x -BaseUrl http://nara.example.com").AssertError("InsecureBaseUrl", ErrorCategory.SecurityError);
    }

    [Fact]
    public void WhatIf_sends_no_state_changing_call()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var result = session.Run("Invoke-NaraRestMethod -Method DELETE /api/tokens/tok_1 -Token x -WhatIf");
        Assert.Empty(result.Output);
        Assert.Equal(0, _emulator.State.Faults.CountOf("DELETE", "/api/tokens/tok_1"));
    }

    [Fact]
    public void TimeoutSec_bounds_one_attempt()
    {
        using var session = new PsSession();
        var secret = _emulator.State.ServerTokens.Create("org_1", "CI", DateTimeOffset.UtcNow).Secret;
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", Method = "POST", Delay = TimeSpan.FromSeconds(30) });
        var result = session.Run("Start-NaraAgentRun summarizeTicket -TimeoutSec 1 -Token $args[0] -BaseUrl $args[1]", secret, _emulator.BaseUrl);
        var error = result.AssertError("RequestTimedOut", ErrorCategory.OperationTimeout);
        Assert.Contains("1 s", error.Exception.Message);
        Assert.Empty(_emulator.State.Agents.Runs);
        result.AssertNoSecret(secret);
    }

    [Fact]
    public void A_proxy_that_wants_authentication_is_a_clear_proxy_error()
    {
        // A proxy that wants an account nobody gives: it answers the CONNECT for https with 407.
        using var proxy = new ForwardingProxy(new NetworkCredential("corp", "never-given"));
        using var session = new PsSession();
        const string token = "nara_tk_must-not-leak-through-the-proxy";
        var result = session.Run("Get-NaraAgent -BaseUrl https://nara.example.com -Proxy $args[0] -Token $args[1] -TimeoutSec 10",
            proxy.Address, token);
        var error = result.AssertError("ProxyAuthenticationRequired", ErrorCategory.AuthenticationError);
        Assert.Contains("-ProxyCredential", error.ErrorDetails.RecommendedAction);
        Assert.Contains(proxy.Requests, r => r.Method == "CONNECT" && r.Target == "nara.example.com:443");
        Assert.True(proxy.Challenges >= 1, "the proxy was never asked");
        result.AssertNoSecret(token);

        session.Run("Get-NaraAgent -ProxyCredential $args[0] -Token x", new PSCredential("u", new NetworkCredential("", "p").SecurePassword))
            .AssertError("ProxyCredentialWithoutProxy", ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void Ctrl_C_stops_a_waiting_call_at_once()
    {
        using var session = new PsSession();
        var secret = _emulator.State.ServerTokens.Create("org_1", "CI", DateTimeOffset.UtcNow).Secret;
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", Method = "POST", Delay = TimeSpan.FromSeconds(30) });
        using var running = session.Start("Start-NaraAgentRun summarizeTicket -Token $args[0] -BaseUrl $args[1]", secret, _emulator.BaseUrl);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (_emulator.State.Faults.CountOf("POST", "/api/agent/run") == 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.Equal(1, _emulator.State.Faults.CountOf("POST", "/api/agent/run"));
        var took = running.Stop();
        Assert.True(took < TimeSpan.FromSeconds(2), $"stopping took {took}");
        var result = running.Finish(TimeSpan.FromSeconds(5));
        Assert.Empty(result.Output);
        Assert.Empty(_emulator.State.Agents.Runs);
        result.AssertNoSecret(secret);
    }

    [Fact]
    public void In_GitHub_Actions_AsPlainText_masks_the_secret_first()
    {
        using var session = new PsSession();
        session.SetEnv("GITHUB_ACTIONS", "true");
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken();
        WriteTokenFile(session.WorkDir, jwt);
        var result = session.Run("New-ServerToken -Name CI -AsPlainText | ForEach-Object { $Host.UI.WriteLine('OUTPUT ' + $_.Id); $_ }");
        var secret = (string)((dynamic)result.Single<object>()).Token;
        var mask = result.HostText.IndexOf("::add-mask::" + secret + "\n", StringComparison.Ordinal);
        Assert.True(mask >= 0, "no masking command");
        Assert.True(result.HostText.IndexOf("OUTPUT tok_", StringComparison.Ordinal) > mask, "the value was written before the masking command");
        result.AssertNoSecret(secret);
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Format_views_exist_for_every_output_type_and_never_show_a_token()
    {
        var file = Path.Combine(RepoPaths.StagedModuleDirectory, "NaraAuth.ServerTokens.format.ps1xml");
        var xml = XDocument.Load(file);
        var selected = xml.Descendants("TypeName").Select(t => t.Value).ToList();
        foreach (var type in new[] { "ServerTokenInfo", "NewServerTokenResult", "NewServerTokenPlainTextResult", "NaraAgentInfo" })
            Assert.Contains("NaraAuth.Models." + type, selected);
        Assert.DoesNotContain(xml.Descendants("PropertyName"), p => p.Value == "Token");
        Assert.DoesNotContain(xml.Descendants("ScriptBlock"), s => s.Value.Contains("$_.Token"));

        using var session = new PsSession();
        var secret = _emulator.State.ServerTokens.Create("org_1", "CI", DateTimeOffset.UtcNow).Secret;
        // Formatting through the module's views (Out-Default goes to the scripted host).
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken();
        WriteTokenFile(session.WorkDir, jwt);
        var shown = session.Run("New-ServerToken -Name Shown -AsPlainText | Out-Default; Get-ServerToken | Out-Default");
        Assert.Contains("shown only once", shown.HostText);
        Assert.Contains("never", shown.HostText);
        shown.AssertNoSecret(secret);
        Assert.DoesNotContain("nara_tk_", shown.HostText);
        shown.AssertNoSecret(jwt);
    }
}
