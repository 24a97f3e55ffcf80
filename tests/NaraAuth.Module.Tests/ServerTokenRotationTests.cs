using System.Management.Automation;
using System.Net;
using System.Security;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>The credential lifecycle: the stale-token review of Get-ServerToken and Reset-ServerToken's rotation, with its failures.</summary>
public class ServerTokenRotationTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public ServerTokenRotationTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.ServerTokens.Clear();
    }

    private PsSession Admin(out string jwt)
    {
        var session = new PsSession();
        jwt = _emulator.State.MintToken(subject: "user_7", role: "admin");
        TestTokenFile.WriteIn(session.WorkDir, jwt);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        return session;
    }

    private static string Plain(SecureString secure) => new NetworkCredential(string.Empty, secure).Password;

    private IEnumerable<string> LiveIds() => _emulator.State.ServerTokens.List("org_1").Select(t => t.Id);

    [Fact]
    public void NotUsedSince_counts_never_used_tokens_and_CreatedBefore_selects_by_age_so_the_review_revokes_exactly_those()
    {
        using var session = Admin(out var jwt);
        var now = DateTimeOffset.UtcNow;
        var store = _emulator.State.ServerTokens;
        var busy = store.Add("org_1", "Monitoring", now.AddDays(-200), lastUsedAt: now.AddHours(-1));
        var idle = store.Add("org_1", "Old CI", now.AddDays(-150), lastUsedAt: now.AddDays(-120));
        var never = store.Add("org_1", "Experiment", now.AddDays(-10));
        var fresh = store.Add("org_1", "New CI", now.AddDays(-5), lastUsedAt: now.AddMinutes(-5));

        var stale = session.Run("Get-ServerToken -NotUsedSince ([datetime]::Now).AddDays(-90) | ForEach-Object Id");
        Assert.Empty(stale.Errors);
        Assert.Equal(new[] { idle.Id, never.Id }, stale.Output.Select(o => (string)o.BaseObject).OrderBy(x => x));

        var old = session.Run("Get-ServerToken -CreatedBefore ([datetime]::Now).AddDays(-90) | ForEach-Object Id");
        Assert.Equal(new[] { busy.Id, idle.Id }, old.Output.Select(o => (string)o.BaseObject).OrderBy(x => x));

        var both = session.Run("Get-ServerToken -NotUsedSince ([datetime]::Now).AddDays(-90) -CreatedBefore ([datetime]::Now).AddDays(-90) | ForEach-Object Id");
        Assert.Equal(idle.Id, (string)Assert.Single(both.Output).BaseObject);

        var review = session.Run("Get-ServerToken -NotUsedSince ([datetime]::Now).AddDays(-90) | Revoke-ServerToken -Confirm:$false");
        Assert.Empty(review.Errors);
        Assert.Null(review.Terminating);
        Assert.Equal(new[] { busy.Id, fresh.Id }.OrderBy(x => x), LiveIds().OrderBy(x => x));
        foreach (var r in new[] { stale, old, both, review }) r.AssertNoSecret(jwt);
    }

    [Fact]
    public void Reset_creates_the_replacement_under_the_same_name_returns_it_once_and_revokes_the_old_token()
    {
        using var session = Admin(out var jwt);
        var old = _emulator.State.ServerTokens.Add("org_1", "CI Pipeline", DateTimeOffset.UtcNow.AddDays(-100));

        var result = session.Run("Get-ServerToken -Name 'CI Pipeline' | Reset-ServerToken -Confirm:$false");
        Assert.Empty(result.Errors);
        Assert.Null(result.Terminating);
        var replacement = Assert.Single(result.Output);
        Assert.Equal("NaraAuth.Models.NewServerTokenResult", replacement.BaseObject.GetType().FullName);
        dynamic r = replacement;
        Assert.Equal("CI Pipeline", (string)r.Name);
        Assert.Equal(old.Id, (string)r.ReplacedId);
        Assert.NotEqual(old.Id, (string)r.Id);
        var secret = Plain((SecureString)r.Token);
        Assert.StartsWith("nara_tk_", secret);
        Assert.Equal(new[] { (string)r.Id }, LiveIds());
        Assert.Equal(1, _emulator.State.ServerTokens.CreationCount);
        result.AssertNoSecret(secret);
        result.AssertNoSecret(old.Secret);
        result.AssertNoSecret(jwt);

        // The replacement works, the old secret is refused.
        Assert.Empty(session.Run("Get-NaraAgent -Token $args[0]", secret).Errors);
        session.Run("Get-NaraAgent -Token $args[0]", old.Secret).AssertError("Unauthorized", ErrorCategory.AuthenticationError);
    }

    [Fact]
    public void AsPlainText_returns_the_secret_as_a_string_and_names_what_it_replaced()
    {
        using var session = Admin(out _);
        var old = _emulator.State.ServerTokens.Add("org_1", "Deploy", DateTimeOffset.UtcNow.AddDays(-3));
        var result = session.Run("Reset-ServerToken -Id $args[0] -AsPlainText -Force", old.Id);
        var r = result.Single<object>();
        Assert.Equal("NaraAuth.Models.NewServerTokenPlainTextResult", r.GetType().FullName);
        Assert.StartsWith("nara_tk_", (string)((dynamic)r).Token);
        Assert.Equal(old.Id, (string)((dynamic)r).ReplacedId);
        Assert.DoesNotContain(old.Id, LiveIds());
    }

    [Fact]
    public void A_failed_create_revokes_nothing_and_is_not_retried()
    {
        using var session = Admin(out var jwt);
        var old = _emulator.State.ServerTokens.Add("org_1", "CI Pipeline", DateTimeOffset.UtcNow.AddDays(-100));
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", Status = 503, RetryAfterSeconds = 0, Count = 5 });

        var result = session.Run("Reset-ServerToken -Name 'CI Pipeline' -Confirm:$false");
        result.AssertError("ServerError", ErrorCategory.ResourceUnavailable);
        Assert.Empty(result.Output);
        Assert.Equal(1, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
        Assert.Equal(0, _emulator.State.Faults.CountOf("DELETE", "/api/tokens/" + old.Id));
        Assert.Equal(new[] { old.Id }, LiveIds());
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_failed_revoke_still_returns_the_replacement_and_the_error_names_the_old_token_still_live()
    {
        using var session = Admin(out var jwt);
        var old = _emulator.State.ServerTokens.Add("org_1", "CI Pipeline", DateTimeOffset.UtcNow.AddDays(-100));
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens/", Method = "DELETE", Status = 403, Count = 10, Body = "{\"detail\": \"revocation is locked\"}" });

        var result = session.Run("Reset-ServerToken -Id $args[0] -Confirm:$false", old.Id);
        Assert.Null(result.Terminating);
        dynamic replacement = Assert.Single(result.Output);
        var secret = Plain((SecureString)replacement.Token);
        Assert.Equal(old.Id, (string)replacement.ReplacedId);
        var error = result.AssertError("ServerTokenRotationIncomplete");
        Assert.Equal(old.Id, error.TargetObject);
        Assert.Contains(old.Id, error.Exception.Message);
        Assert.Contains((string)replacement.Id, error.Exception.Message);
        Assert.Contains("Revoke-ServerToken -Id " + old.Id, error.ErrorDetails?.RecommendedAction ?? string.Empty);
        Assert.Equal(new[] { old.Id, (string)replacement.Id }.OrderBy(x => x), LiveIds().OrderBy(x => x));
        Assert.Equal(1, _emulator.State.ServerTokens.CreationCount);
        result.AssertNoSecret(secret);
        result.AssertNoSecret(old.Secret);
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void WhatIf_creates_and_revokes_nothing_and_names_the_token()
    {
        using var session = Admin(out _);
        var old = _emulator.State.ServerTokens.Add("org_1", "CI Pipeline", DateTimeOffset.UtcNow.AddDays(-100));
        var result = session.Run("Get-ServerToken | Reset-ServerToken -WhatIf");
        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        Assert.Contains(old.Id, result.HostText);
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
        Assert.Equal(0, _emulator.State.Faults.CountOf("DELETE", "/api/tokens/" + old.Id));
        Assert.Equal(new[] { old.Id }, LiveIds());
    }

    [Fact]
    public void A_name_that_matches_several_tokens_rotates_none()
    {
        using var session = Admin(out _);
        var a = _emulator.State.ServerTokens.Add("org_1", "CI one", DateTimeOffset.UtcNow.AddDays(-100));
        var b = _emulator.State.ServerTokens.Add("org_1", "CI two", DateTimeOffset.UtcNow.AddDays(-100));
        var result = session.Run("Reset-ServerToken -Name 'CI*' -Force");
        result.AssertError("AmbiguousServerTokenName", ErrorCategory.InvalidArgument);
        Assert.Equal(0, _emulator.State.ServerTokens.CreationCount);
        Assert.Equal(new[] { a.Id, b.Id }.OrderBy(x => x), LiveIds().OrderBy(x => x));
    }
}
