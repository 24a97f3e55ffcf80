using System.Management.Automation;
using System.Net;
using System.Security;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>New-, Get-, Revoke-ServerToken and the agent cmdlets against the emulator over real HTTP.</summary>
public class ServerTokenTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public ServerTokenTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.ServerTokens.Clear();
        _emulator.State.Agents.Clear();
    }

    /// <summary>A session logged in (token file in the current directory) with the given role, pointed at the emulator.</summary>
    private PsSession LoggedIn(string role, out string jwt, TimeSpan? lifetime = null)
    {
        var session = new PsSession();
        jwt = _emulator.State.MintToken(subject: "user_7", role: role, lifetime: lifetime);
        TestTokenFile.WriteIn(session.WorkDir, jwt);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        return session;
    }

    private static string Plain(SecureString secure) => new NetworkCredential(string.Empty, secure).Password;

    private static void AssertClean(PsResult result, params string[] secrets)
    {
        foreach (var secret in secrets) result.AssertNoSecret(secret);
    }

    [Fact]
    public void Create_list_use_revoke_and_the_next_use_gets_401()
    {
        using var session = LoggedIn("admin", out var jwt);

        var created = session.Run("New-ServerToken -Name 'CI Pipeline'");
        dynamic token = created.Single<object>();
        var secret = Plain((SecureString)token.Token);
        var id = (string)token.Id;
        Assert.StartsWith("nara_tk_", secret);
        Assert.Equal("CI Pipeline", (string)token.Name);
        Assert.True((bool)token.ShownOnce);
        Assert.Equal(1, _emulator.State.ServerTokens.CreationCount);
        AssertClean(created, secret, jwt);

        var listed = session.Run("Get-ServerToken");
        dynamic info = listed.Single<object>();
        Assert.Equal(id, (string)info.Id);
        Assert.Null((DateTimeOffset?)info.LastUsedAt);
        AssertClean(listed, secret, jwt);

        // Use it the way a pipeline does: NARA_TOKEN, agent list and run in one line.
        session.SetEnv("NARA_TOKEN", secret);
        var run = session.Run("Get-NaraAgent -Name summarizeTicket | Start-NaraAgentRun -Arguments @{ ticketNumber = '1234' }");
        Assert.Empty(run.Errors);
        dynamic outcome = Assert.Single(run.Output);
        Assert.Equal("NaraAuth.Models.NaraAgentRunResult", ((PSObject)outcome).BaseObject.GetType().FullName);
        Assert.Equal("summarizeTicket", (string)outcome.AgentName);
        Assert.Equal("completed", (string)outcome.Status.ToString());
        Assert.StartsWith("run_", (string)outcome.RunId);
        Assert.Equal("1234", (string)outcome.Result.args.ticketNumber);
        Assert.Equal("1234", (string)outcome.Response.result.args.ticketNumber);
        var recorded = Assert.Single(_emulator.State.Agents.Runs);
        Assert.Equal("token:CI Pipeline", recorded.Caller);
        Assert.Equal("1234", recorded.Args["ticketNumber"]!.GetValue<string>());
        AssertClean(run, secret, jwt);

        var agents = session.Run("Get-NaraAgent");
        Assert.Contains(agents.Output, a => ((dynamic)a.BaseObject).Name == "summarizeTicket");
        AssertClean(agents, secret, jwt);

        // Back to the admin's login to review and revoke.
        session.SetEnv("NARA_TOKEN", null);
        var used = session.Run("Get-ServerToken -Id $args[0]", id);
        Assert.NotNull((DateTimeOffset?)((dynamic)used.Single<object>()).LastUsedAt);

        var revoked = session.Run("Revoke-ServerToken -Id $args[0] -Confirm:$false", id);
        Assert.Empty(revoked.Errors);
        Assert.Null(revoked.Terminating);
        Assert.Empty(session.Run("Get-ServerToken").Output);
        AssertClean(revoked, secret, jwt);

        var refused = session.Run("Get-NaraAgent -Token $args[0]", secret);
        var error = refused.AssertError("Unauthorized", ErrorCategory.AuthenticationError);
        Assert.Contains("revoked", error.Exception.Message);
        Assert.Contains("-Token parameter", error.Exception.Message);
        AssertClean(refused, secret, jwt);
    }

    [Fact]
    public void Pipeline_revoke_of_unused_tokens_WhatIf_revokes_nothing_and_Confirm_false_exactly_those()
    {
        using var session = LoggedIn("admin", out var jwt);
        var now = DateTimeOffset.UtcNow;
        var store = _emulator.State.ServerTokens;
        var used = store.Add("org_1", "Monitoring", now.AddDays(-30), lastUsedAt: now.AddHours(-1));
        var unusedA = store.Add("org_1", "Old CI", now.AddDays(-90));
        var unusedB = store.Add("org_1", "Experiment", now.AddDays(-10));
        store.Add("org_2", "Other org", now.AddDays(-5));

        var whatIf = session.Run("Get-ServerToken | Where-Object { -not $_.LastUsedAt } | Revoke-ServerToken -WhatIf");
        Assert.Null(whatIf.Terminating);
        Assert.Empty(whatIf.Errors);
        Assert.Equal(3, store.List("org_1").Count);
        Assert.Equal(0, _emulator.State.Faults.CountOf("DELETE", "/api/tokens/" + unusedA.Id));
        Assert.Contains(unusedA.Id, whatIf.HostText);
        Assert.Contains(unusedB.Id, whatIf.HostText);
        Assert.DoesNotContain(used.Id, whatIf.HostText);
        AssertClean(whatIf, jwt);

        var confirmed = session.Run("Get-ServerToken | Where-Object { -not $_.LastUsedAt } | Revoke-ServerToken -Confirm:$false");
        Assert.Null(confirmed.Terminating);
        Assert.Empty(confirmed.Errors);
        var left = store.List("org_1");
        Assert.Equal(new[] { used.Id }, left.Select(t => t.Id));
        Assert.Single(store.List("org_2"));
        AssertClean(confirmed, jwt);
    }

    [Fact]
    public void Revoke_asks_first_and_Force_skips_the_question_but_not_WhatIf()
    {
        using var session = LoggedIn("admin", out var jwt);
        var store = _emulator.State.ServerTokens;
        var a = store.Add("org_1", "A", DateTimeOffset.UtcNow);
        var b = store.Add("org_1", "B", DateTimeOffset.UtcNow);

        session.Host.Recorder.ChoiceAnswers.Enqueue("N");
        var declined = session.Run("Revoke-ServerToken -Id $args[0]", a.Id);
        Assert.Contains(session.Host.Recorder.Prompts, p => p.Contains("'A' (" + a.Id + ")"));
        Assert.Equal(2, store.List("org_1").Count);

        session.Host.Recorder.ChoiceAnswers.Enqueue("Y");
        session.Run("Revoke-ServerToken -Id $args[0]", a.Id);
        Assert.DoesNotContain(store.List("org_1"), t => t.Id == a.Id);

        var promptsBefore = session.Host.Recorder.Prompts.Count;
        session.Run("Revoke-ServerToken -Id $args[0] -Force -WhatIf", b.Id);
        Assert.Contains(store.List("org_1"), t => t.Id == b.Id);
        var forced = session.Run("Revoke-ServerToken -Id $args[0] -Force", b.Id);
        Assert.Equal(promptsBefore, session.Host.Recorder.Prompts.Count);
        Assert.Empty(store.List("org_1"));
        AssertClean(declined, jwt);
        AssertClean(forced, jwt);
    }

    [Fact]
    public void Revoke_by_name_refuses_an_ambiguous_name_unless_All()
    {
        using var session = LoggedIn("admin", out var jwt);
        var store = _emulator.State.ServerTokens;
        store.Add("org_1", "CI", DateTimeOffset.UtcNow);
        store.Add("org_1", "CI", DateTimeOffset.UtcNow);
        var keep = store.Add("org_1", "Deploy", DateTimeOffset.UtcNow);

        var ambiguous = session.Run("Revoke-ServerToken -Name CI -Confirm:$false");
        var error = ambiguous.AssertError("AmbiguousServerTokenName", ErrorCategory.InvalidArgument);
        Assert.Contains("-All", error.ErrorDetails.RecommendedAction);
        Assert.Equal(3, store.List("org_1").Count);

        var all = session.Run("Revoke-ServerToken -Name ci -All -Confirm:$false");
        Assert.Null(all.Terminating);
        Assert.Equal(new[] { keep.Id }, store.List("org_1").Select(t => t.Id));

        var single = session.Run("Revoke-ServerToken -Name Deploy -Confirm:$false");
        Assert.Null(single.Terminating);
        Assert.Empty(store.List("org_1"));
        AssertClean(ambiguous, jwt);
    }

    [Fact]
    public void Revoking_an_unknown_id_or_name_is_a_not_found_error()
    {
        using var session = LoggedIn("admin", out var jwt);
        var byId = session.Run("Revoke-ServerToken -Id tok_999 -Confirm:$false");
        var error = byId.AssertError("ServerTokenNotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains("tok_999", error.Exception.Message);
        session.Run("Revoke-ServerToken -Name 'No such token' -Confirm:$false").AssertError("ServerTokenNotFound", ErrorCategory.ObjectNotFound);
        // A wildcard that matches nothing is not an error, as with Get-Item and friends.
        var wildcard = session.Run("Revoke-ServerToken -Name 'zzz*' -Confirm:$false");
        Assert.Null(wildcard.Terminating);
        Assert.Empty(wildcard.Errors);
        AssertClean(byId, jwt);
    }

    [Fact]
    public void Get_ServerToken_filters_by_wildcard_name_and_id()
    {
        using var session = LoggedIn("admin", out var jwt);
        var store = _emulator.State.ServerTokens;
        var ci = store.Add("org_1", "CI Pipeline", DateTimeOffset.UtcNow);
        var ci2 = store.Add("org_1", "CI Nightly", DateTimeOffset.UtcNow);
        store.Add("org_1", "Monitoring Script", DateTimeOffset.UtcNow);

        var wild = session.Run("Get-ServerToken -Name 'ci *'");
        Assert.Equal(new[] { ci.Id, ci2.Id }, wild.Output.Select(o => (string)((dynamic)o.BaseObject).Id));
        Assert.Empty(wild.Errors);

        var byId = session.Run("Get-ServerToken -Id $args[0]", ci2.Id);
        Assert.Equal("CI Nightly", (string)((dynamic)byId.Single<object>()).Name);

        var missing = session.Run("Get-ServerToken -Name 'Nope'");
        missing.AssertError("ServerTokenNotFound", ErrorCategory.ObjectNotFound);
        AssertClean(wild, jwt);
    }

    [Fact]
    public void A_member_gets_a_clear_permission_error_and_nothing_is_created()
    {
        using var session = LoggedIn("member", out var jwt);
        var result = session.Run("New-ServerToken -Name 'CI Pipeline'");
        var error = result.AssertError("Forbidden", ErrorCategory.PermissionDenied);
        Assert.Contains("admin", error.Exception.Message);
        Assert.Contains("'member'", error.Exception.Message);
        Assert.Equal(0, _emulator.State.ServerTokens.CreationCount);
        session.Run("Get-ServerToken").AssertError("Forbidden", ErrorCategory.PermissionDenied);
        AssertClean(result, jwt);
    }

    [Fact]
    public void An_expired_login_says_log_in_again_before_sending_anything()
    {
        using var session = LoggedIn("admin", out var jwt, lifetime: TimeSpan.FromHours(-1));
        var result = session.Run("New-ServerToken -Name 'CI Pipeline'");
        var error = result.AssertError("TokenExpired", ErrorCategory.AuthenticationError);
        Assert.Contains("Log in again", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
        Assert.Equal(0, _emulator.State.ServerTokens.CreationCount);
        AssertClean(result, jwt);
    }

    [Fact]
    public void WhatIf_creates_nothing()
    {
        using var session = LoggedIn("admin", out var jwt);
        var result = session.Run("New-ServerToken -Name 'CI Pipeline' -WhatIf");
        Assert.Empty(result.Output);
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
        Assert.Contains("CI Pipeline", result.HostText);
        AssertClean(result, jwt);
    }

    [Fact]
    public void In_Azure_Pipelines_AsPlainText_masks_the_secret_before_the_value_is_written()
    {
        using var session = LoggedIn("admin", out var jwt);
        session.SetEnv("TF_BUILD", "True");
        // The ForEach-Object block runs when the object reaches the pipeline, so host order = emission order.
        var result = session.Run("New-ServerToken -Name CI -AsPlainText | ForEach-Object { $Host.UI.WriteLine('OUTPUT ' + $_.Id); $_ }");
        dynamic token = result.Single<object>();
        var secret = (string)token.Token;
        Assert.StartsWith("nara_tk_", secret);
        var mask = result.HostText.IndexOf("##vso[task.setsecret]" + secret + "\n", StringComparison.Ordinal);
        var output = result.HostText.IndexOf("OUTPUT " + (string)token.Id, StringComparison.Ordinal);
        Assert.True(mask >= 0, "no masking command: " + result.HostText.Replace(secret, "<SECRET>"));
        Assert.True(output > mask, "the value was written before the masking command");
        AssertClean(result, secret, jwt);
    }

    [Fact]
    public void AzurePipelinesVariable_sets_a_secret_variable_and_is_refused_outside_a_pipeline()
    {
        using var session = LoggedIn("admin", out var jwt);
        var outside = session.Run("New-ServerToken -Name CI -AzurePipelinesVariable NARA_TOKEN");
        outside.AssertError("NotInAzurePipelines", ErrorCategory.InvalidOperation);
        Assert.Equal(0, _emulator.State.ServerTokens.CreationCount);

        session.SetEnv("TF_BUILD", "True");
        session.Run("New-ServerToken -Name CI -AzurePipelinesVariable 'bad;name'").AssertError("InvalidPipelineVariableName", ErrorCategory.InvalidArgument);
        Assert.Equal(0, _emulator.State.ServerTokens.CreationCount);

        var result = session.Run("New-ServerToken -Name CI -AzurePipelinesVariable NARA_TOKEN");
        dynamic token = result.Single<object>();
        var secret = Plain((SecureString)token.Token);
        Assert.Contains("##vso[task.setvariable variable=NARA_TOKEN;issecret=true]" + secret + "\n", result.HostText);
        // The secret appears nowhere but in that one logging command.
        var leaks = result.AllText().Split('\n').Where(l => l.Contains(secret, StringComparison.Ordinal)).ToList();
        Assert.All(leaks, l => Assert.StartsWith("##vso[task.setvariable variable=NARA_TOKEN;issecret=true]", l));
        Assert.Single(leaks);
        AssertClean(result, jwt);
    }

    [Fact]
    public void A_503_then_200_on_GET_succeeds_after_a_retry()
    {
        using var session = LoggedIn("admin", out var jwt);
        _emulator.State.ServerTokens.Add("org_1", "CI", DateTimeOffset.UtcNow);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "GET", Status = 503, RetryAfterSeconds = 1, Body = "{\"detail\": \"maintenance\"}" });
        var result = session.Run("Get-ServerToken");
        Assert.Equal("CI", (string)((dynamic)result.Single<object>()).Name);
        Assert.Equal(2, _emulator.State.Faults.CountOf("GET", "/api/tokens"));
        Assert.Contains(result.Verbose, v => v.Message.Contains("HTTP 503") && v.Message.Contains("retrying"));
        AssertClean(result, jwt);
    }

    [Fact]
    public void A_POST_that_meets_a_dropped_connection_is_not_sent_twice()
    {
        using var session = LoggedIn("admin", out var jwt);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", Drop = true, AfterHandler = true });
        var result = session.Run("New-ServerToken -Name 'CI Pipeline'");
        result.AssertError("PlatformUnreachable", ErrorCategory.ConnectionError);
        Assert.Equal(1, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
        Assert.Equal(1, _emulator.State.ServerTokens.CreationCount);
        // The token that was created without an answer is visible, so it can be found and revoked.
        var listed = session.Run("Get-ServerToken -Name 'CI Pipeline'");
        Assert.Single(listed.Output);
        AssertClean(result, jwt);
    }

    [Fact]
    public void RetryNonIdempotent_lets_a_create_retry_after_a_503()
    {
        using var session = LoggedIn("admin", out var jwt);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", Status = 503, RetryAfterSeconds = 0 });
        var once = session.Run("New-ServerToken -Name CI");
        once.AssertError("ServerError", ErrorCategory.ResourceUnavailable);
        Assert.Equal(0, _emulator.State.ServerTokens.CreationCount);

        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", Status = 503, RetryAfterSeconds = 0 });
        var retried = session.Run("New-ServerToken -Name CI -RetryNonIdempotent");
        Assert.Equal("CI", (string)((dynamic)retried.Single<object>()).Name);
        Assert.Equal(1, _emulator.State.ServerTokens.CreationCount);
        Assert.Equal(3, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
        AssertClean(retried, jwt);
    }

    [Fact]
    public void A_dropped_connection_on_GET_is_retried()
    {
        using var session = LoggedIn("member", out var jwt);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", Method = "GET", Drop = true });
        var result = session.Run("Get-NaraAgent");
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(2, _emulator.State.Faults.CountOf("GET", "/api/agent/run"));
        AssertClean(result, jwt);
    }

    [Fact]
    public void Start_NaraAgentRun_is_sent_once_and_reports_an_unknown_agent()
    {
        using var session = LoggedIn("member", out var jwt);
        var unknown = session.Run("Start-NaraAgentRun -Name doesNotExist");
        var error = unknown.AssertError("NotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains("No functional agent named 'doesNotExist'", error.Exception.Message);

        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/agent/run", Method = "POST", Status = 502 });
        session.Run("Start-NaraAgentRun summarizeTicket @{ ticketNumber = '1' }").AssertError("ServerError", ErrorCategory.ResourceUnavailable);
        Assert.Equal(2, _emulator.State.Faults.CountOf("POST", "/api/agent/run"));
        Assert.Empty(_emulator.State.Agents.Runs);

        var whatIf = session.Run("Start-NaraAgentRun summarizeTicket @{ ticketNumber = '1' } -WhatIf");
        Assert.Empty(whatIf.Output);
        Assert.Empty(_emulator.State.Agents.Runs);
        AssertClean(unknown, jwt);
    }
}
