using System.Management.Automation;
using System.Net.Http.Json;
using System.Security;
using System.Text.Json.Nodes;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests.EdgePlane;

/// <summary>
/// EdgePlane from a pipeline, over real HTTP: EP_TOKEN with a service-account token, an OIDC
/// access token with -Token under AUTH_MODE oidc/token, Invoke-EdgePlaneRestMethod's calls, and
/// the hostile server (redirects, echoes, escape sequences, huge bodies, paths that leave the origin).
/// </summary>
public sealed class EdgePlanePipelineTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly CanaryListener _canary = CanaryListener.Start();

    public EdgePlanePipelineTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgePlane.AuthMode = EdgePlaneAuthMode.Token;
        _emulator.State.EdgePlane.OidcIssuer = null;
        _emulator.State.EdgePlane.OidcAudience = EdgePlaneStore.DefaultOidcAudience;
        _emulator.State.EdgePlane.Projects.Clear();
    }

    public void Dispose() => _canary.Dispose();

    private string ServiceAccount(string name = "release-pipeline") => _emulator.State.EdgePlane.MintServiceAccount(name).Token;

    /// <summary>A pipeline step: EP_TOKEN from its secret variable, EP_BASE_URL, TF_BUILD.</summary>
    private PsSession PipelineSession(string? epToken)
    {
        var session = new PsSession();
        session.SetEnv("TF_BUILD", "True");
        session.SetEnv("EP_BASE_URL", _emulator.BaseUrl);
        session.SetEnv("EP_TOKEN", epToken);
        return session;
    }

    /// <summary>An access token from the emulator's identity provider, fetched over HTTP as a pipeline's own token request would.</summary>
    private async Task<string> AccessTokenAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_emulator.BaseUrl) };
        var ct = TestContext.Current.CancellationToken;
        var start = await http.PostAsync("/oidc/device_authorization", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "naraauth-cli", ["scope"] = "openid" }), ct);
        var device = JsonNode.Parse(await start.Content.ReadAsStringAsync(ct))!;
        (await http.PostAsync($"/_emulator/oidc/device/{device["user_code"]}/approve", null, ct)).EnsureSuccessStatusCode();
        var token = await http.PostAsync("/oidc/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "naraauth-cli", ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["device_code"] = device["device_code"]!.GetValue<string>(),
        }), ct);
        token.EnsureSuccessStatusCode();
        return JsonNode.Parse(await token.Content.ReadAsStringAsync(ct))!["access_token"]!.GetValue<string>();
    }

    /// <summary>A property of a JSON answer, as Invoke-EdgePlaneRestMethod wrote it.</summary>
    private static string? Field(PSObject item, string name) => item.Properties[name]?.Value?.ToString();

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    private void AssertCanaryUntouched(string secret)
    {
        Thread.Sleep(100);
        Assert.False(_canary.Touched, _canary.Report.Replace(secret, "<SECRET>"));
    }

    [Fact]
    public void EP_TOKEN_with_a_service_account_token_makes_whoami_and_API_calls_work_and_is_never_shown()
    {
        var token = ServiceAccount();
        using var session = PipelineSession(token);
        var whoami = session.Run("Get-EdgePlaneIdentity -Verbose");
        dynamic identity = whoami.Single<object>();
        Assert.Equal("release-pipeline", (string)identity.Subject);
        Assert.Equal(_emulator.BaseUrl, (string)identity.BaseUrl);
        Assert.Contains(whoami.Verbose, v => v.Message.Contains("a service-account token from EP_TOKEN"));

        var created = session.Run("Invoke-EdgePlaneRestMethod -Method Post -Path /api/projects -Body @{ name = 'edge-fleet' } -Verbose");
        created.Single<object>();
        Assert.Equal("edge-fleet", Field(created.Output[0], "name"));
        Assert.Equal("release-pipeline", Field(created.Output[0], "created_by"));
        Assert.Contains(created.Verbose, v => v.Message.Contains("POST /api/projects answered HTTP 201"));
        session.Run("Invoke-EdgePlaneRestMethod -Method Post /api/projects '{\"name\": \"second\"}'");

        var listed = session.Run("[pscustomobject]@{ Path = '/api/projects' } | Invoke-EdgePlaneRestMethod");
        Assert.Equal(new[] { "edge-fleet", "second" }, listed.Output.Select(o => Field(o, "name")).ToArray());
        foreach (var result in new[] { whoami, created, listed }) result.AssertNoSecret(token);
    }

    [Fact]
    public async Task An_OIDC_access_token_passed_with_Token_is_accepted_in_oidc_mode_and_refused_clearly_in_token_mode()
    {
        var accessToken = await AccessTokenAsync();
        using var session = PipelineSession(null);
        var variables = new Dictionary<string, object?> { ["accessToken"] = Secure(accessToken) };

        _emulator.State.EdgePlane.AuthMode = EdgePlaneAuthMode.Oidc;
        var accepted = session.Run("Get-EdgePlaneIdentity -Token $accessToken; Invoke-EdgePlaneRestMethod -Token $accessToken -Method Post /api/projects @{ name = 'oidc-made' }", variables);
        Assert.True(accepted.Errors.Count == 0 && accepted.Terminating == null, accepted.Error?.ToString());
        Assert.Equal(_emulator.State.Oidc.DefaultSubject, (string)((dynamic)accepted.Output[0]).Subject);
        Assert.Equal(_emulator.State.Oidc.DefaultSubject, Field(accepted.Output[1], "created_by"));

        _emulator.State.EdgePlane.AuthMode = EdgePlaneAuthMode.Token;
        var refused = session.Run("Get-EdgePlaneIdentity -Token $accessToken", variables);
        var error = refused.AssertError("EdgePlaneTokenRejected", ErrorCategory.AuthenticationError);
        Assert.Contains("an OIDC access token from the -Token parameter", error.Exception.Message);
        Assert.Contains("AUTH_MODE=token", error.Exception.Message);
        Assert.Contains("AUTH_MODE oidc or dual", error.ErrorDetails?.RecommendedAction ?? string.Empty);
        foreach (var result in new[] { accepted, refused }) result.AssertNoSecret(accessToken);
    }

    [Fact]
    public async Task In_oidc_mode_a_token_for_another_audience_or_a_service_account_token_is_a_clear_401()
    {
        var accessToken = await AccessTokenAsync();
        var sa = ServiceAccount();
        using var session = PipelineSession(sa);
        _emulator.State.EdgePlane.AuthMode = EdgePlaneAuthMode.Oidc;
        _emulator.State.EdgePlane.OidcAudience = "edgeplane-api";

        var wrongAudience = session.Run("Invoke-EdgePlaneRestMethod /api/projects -Token $args[0]", accessToken);
        Assert.Contains("invalid audience", wrongAudience.AssertError("EdgePlaneTokenRejected", ErrorCategory.AuthenticationError).Exception.Message);
        var serviceAccount = session.Run("Invoke-EdgePlaneRestMethod /api/projects");
        var error = serviceAccount.AssertError("EdgePlaneTokenRejected", ErrorCategory.AuthenticationError);
        Assert.Contains("a service-account token from EP_TOKEN", error.Exception.Message);
        Assert.Contains("AUTH_MODE=oidc", error.Exception.Message);
        wrongAudience.AssertNoSecret(accessToken);
        serviceAccount.AssertNoSecret(sa);
    }

    [Fact]
    public void EP_TOKEN_never_follows_a_session_files_base_url_to_another_host()
    {
        var token = ServiceAccount();
        using var session = PipelineSession(token);
        session.SetEnv("EP_BASE_URL", null);
        var sessionFile = Path.Combine(session.Home, ".edgeplane", "session.json");
        Directory.CreateDirectory(Path.GetDirectoryName(sessionFile)!);
        File.WriteAllText(sessionFile, "{\"token\": \"mcs_someone_elses_session\", \"base_url\": \"" + _canary.BaseUrl + "\"}");
        if (UnixModes.Available) UnixModes.Set(sessionFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        foreach (var script in new[] { "Get-EdgePlaneIdentity", "Invoke-EdgePlaneRestMethod /api/projects" })
        {
            var result = session.Run(script);
            var error = result.AssertError("EdgePlaneUrlMissing", ErrorCategory.InvalidArgument);
            Assert.Contains("EP_TOKEN", error.Exception.Message);
            result.AssertNoSecret(token);
        }
        AssertCanaryUntouched(token);
    }

    [Theory]
    [InlineData("//127.0.0.2/api/projects")]
    [InlineData("http://127.0.0.2/api/projects")]
    [InlineData("/ //127.0.0.2/api/projects")]
    [InlineData("api/projects")]
    public void A_Path_that_would_leave_EdgePlane_is_refused_before_anything_is_sent(string path)
    {
        var token = ServiceAccount();
        using var session = PipelineSession(token);
        var before = _emulator.State.Faults.Seen.Count;
        var result = session.Run("Invoke-EdgePlaneRestMethod -Path $args[0]", path.Replace("127.0.0.2", _canary.HostAndPort));
        Assert.Contains("not a path on EdgePlane", result.AssertError("InvalidApiPath", ErrorCategory.InvalidArgument).Exception.Message);
        Assert.Equal(before, _emulator.State.Faults.Seen.Count);
        result.AssertNoSecret(token);
        AssertCanaryUntouched(token);
    }

    [Fact]
    public void A_redirecting_EdgePlane_is_refused_and_the_other_host_hears_nothing()
    {
        var token = ServiceAccount();
        using var session = PipelineSession(token);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/projects", RedirectTo = _canary.BaseUrl + "/api/projects" });
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/auth/whoami", RedirectTo = _canary.BaseUrl + "/auth/whoami" });
        foreach (var script in new[] { "Invoke-EdgePlaneRestMethod /api/projects", "Get-EdgePlaneIdentity" })
        {
            var result = session.Run(script);
            Assert.Contains(_canary.HostAndPort, result.AssertError("RedirectRefused", ErrorCategory.SecurityError).Exception.Message);
            result.AssertNoSecret(token);
        }
        AssertCanaryUntouched(token);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(500)]
    public void An_EdgePlane_that_echoes_the_bearer_never_gets_it_into_a_stream(int status)
    {
        var token = ServiceAccount();
        using var session = PipelineSession(token);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/projects", EchoCredentials = true, Status = status, Count = 5 });
        var result = session.Run("Invoke-EdgePlaneRestMethod /api/projects");
        if (status == 200) Assert.Contains("***", Field(Assert.Single(result.Output), "error_description"));
        else Assert.Contains("***", result.Error!.Exception.Message);
        result.AssertNoSecret(token);
    }

    [Fact]
    public void Escape_sequences_in_EdgePlanes_answers_never_reach_a_stream()
    {
        var token = ServiceAccount("ci\u001b]0;owned\u0007\u001b[2J");
        using var session = PipelineSession(token);
        var whoami = session.Run("Get-EdgePlaneIdentity");
        Assert.Equal("ci", (string)((dynamic)whoami.Single<object>()).Subject);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/projects", Status = 401, Body = "{\"detail\": \"go away\\u001b[2J\\u001b]8;;http://evil\\u0007click\\u001b]8;;\\u0007\"}" });
        var refused = session.Run("Invoke-EdgePlaneRestMethod /api/projects");
        Assert.Contains("go away", refused.AssertError("EdgePlaneTokenRejected", ErrorCategory.AuthenticationError).Exception.Message);
        foreach (var result in new[] { whoami, refused })
        {
            Assert.DoesNotContain('\u001b', result.AllText());
            Assert.DoesNotContain('\u0007', result.AllText());
            result.AssertNoSecret(token);
        }
    }

    [Fact]
    public void A_huge_answer_is_a_clear_error_not_an_allocation()
    {
        var token = ServiceAccount();
        using var session = PipelineSession(token);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/projects", OversizedBytes = 17L * 1024 * 1024 });
        var result = session.Run("Invoke-EdgePlaneRestMethod /api/projects");
        Assert.Contains("16 MiB", result.AssertError("ResponseTooLarge", ErrorCategory.LimitsExceeded).Exception.Message);
        result.AssertNoSecret(token);
    }

    [Fact]
    public void Reads_are_retried_a_create_is_sent_once_and_WhatIf_sends_nothing()
    {
        var token = ServiceAccount();
        using var session = PipelineSession(token);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/projects", Method = "GET", Status = 503 });
        var listed = session.Run("Invoke-EdgePlaneRestMethod /api/projects");
        Assert.True(listed.Errors.Count == 0 && listed.Terminating == null, listed.Error?.ToString());
        Assert.Equal(2, _emulator.State.Faults.CountOf("GET", "/api/projects"));

        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/projects", Method = "POST", Drop = true, AfterHandler = true });
        var create = session.Run("Invoke-EdgePlaneRestMethod -Method Post /api/projects @{ name = 'once' }");
        Assert.NotNull(create.Error);
        Assert.Equal(1, _emulator.State.Faults.CountOf("POST", "/api/projects"));
        Assert.Single(_emulator.State.EdgePlane.Projects.Values, p => p.Name == "once");

        var whatIf = session.Run("Invoke-EdgePlaneRestMethod -Method Delete /api/projects/1 -WhatIf");
        Assert.Equal(0, _emulator.State.Faults.CountOf("DELETE", "/api/projects/1"));
        Assert.Contains("/api/projects/1", whatIf.HostText);
        foreach (var result in new[] { listed, create, whatIf }) result.AssertNoSecret(token);
    }

    [Fact]
    public void The_Azure_Pipelines_sample_runs_with_EP_TOKEN_from_its_secret_variable_and_never_shows_it()
    {
        var (variables, steps) = ExamplesTests.ReadPipeline(Path.Combine(RepoPaths.Root, "docs", "examples", "edgeplane.azure-pipelines.yml"));
        Assert.Equal(3, steps.Count);
        Assert.All(steps.Skip(1), s => Assert.Equal("$(EDGEPLANE_SA_TOKEN)", s.Env["EP_TOKEN"]));
        var token = ServiceAccount("azure-pipeline");
        variables["EP_BASE_URL"] = _emulator.BaseUrl;
        var macros = new Dictionary<string, string>(variables) { ["EDGEPLANE_SA_TOKEN"] = token };

        var results = new List<PsResult>();
        foreach (var run in new[] { 1, 2 })
        {
            foreach (var step in steps)
            {
                // Each step is its own pwsh process on the agent: a fresh engine without the module imported.
                using var session = new PsSession(importModule: false);
                session.SetEnv("TF_BUILD", "True");
                foreach (var (name, value) in variables) session.SetEnv(name, value);
                foreach (var (name, value) in step.Env)
                    session.SetEnv(name, System.Text.RegularExpressions.Regex.Replace(value, @"\$\(([^)]+)\)", m => macros[m.Groups[1].Value]));
                var result = session.Run(step.Script);
                Assert.True(result.Terminating == null && result.Errors.Count == 0, $"Step '{step.DisplayName}' failed: {result.Error}");
                results.Add(result);
            }
        }
        Assert.Equal("Calling EdgePlane as azure-pipeline", results[1].Output.Single().ToString());
        // The second run finds the project the first one made.
        var project = Assert.Single(_emulator.State.EdgePlane.Projects.Values);
        Assert.Equal("edge-fleet", project.Name);
        Assert.Equal(project.Id.ToString(), results[2].Output.Single().ToString());
        Assert.Equal(project.Id.ToString(), results[5].Output.Single().ToString());
        foreach (var result in results) result.AssertNoSecret(token);
    }
}
