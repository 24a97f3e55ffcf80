using System.Management.Automation;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Get-NaraAuthStatus says what needs action: expiring, expired and unprotected credentials, and server tokens past the rotation age.</summary>
public class StatusActionTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public StatusActionTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.ServerTokens.Clear();
    }

    private PsSession WithToken(string role, TimeSpan lifetime, out string jwt)
    {
        var session = new PsSession();
        jwt = _emulator.State.MintToken(subject: "user_7", role: role, lifetime: lifetime);
        var path = TestTokenFile.WriteIn(session.WorkDir, jwt);
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        return session;
    }

    [Fact]
    public void A_token_expiring_within_the_warning_window_needs_action_and_a_longer_one_does_not()
    {
        using var session = WithToken("admin", TimeSpan.FromMinutes(5), out var jwt);

        var soon = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken");
        dynamic record = soon.Single<object>();
        Assert.True((bool)record.NeedsAction);
        Assert.Contains("log in again", (string)record.Action);

        dynamic relaxed = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken -WarningWindow ([timespan]::FromMinutes(1))").Single<object>();
        Assert.False((bool)relaxed.NeedsAction);
        Assert.Null((string?)relaxed.Action);
        soon.AssertNoSecret(jwt);
    }

    [Fact]
    public void An_expired_or_unprotected_token_needs_action_saying_what_to_do()
    {
        if (!UnixModes.Available) return; // loose modes exist only on Unix; the ACL rule has its own tests
        using var session = WithToken("admin", TimeSpan.FromMinutes(-5), out _);
        dynamic expired = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken").Single<object>();
        Assert.True((bool)expired.NeedsAction);
        Assert.StartsWith("Renew or replace it", (string)expired.Action);

        UnixModes.Set(Path.Combine(session.WorkDir, "auth-token.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        dynamic loose = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken").Single<object>();
        Assert.StartsWith("Fix the file's owner or mode", (string)loose.Action);
    }

    [Fact]
    public void RotationAge_adds_a_record_for_each_server_token_older_than_it_naming_the_rotation()
    {
        using var session = WithToken("admin", TimeSpan.FromHours(8), out var jwt);
        var now = DateTimeOffset.UtcNow;
        var old = _emulator.State.ServerTokens.Add("org_1", "CI Pipeline", now.AddDays(-120), lastUsedAt: now.AddDays(-1));
        _emulator.State.ServerTokens.Add("org_1", "Fresh", now.AddDays(-10));

        var result = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken -RotationAge ([timespan]::FromDays(90))");
        Assert.Empty(result.Errors);
        var due = result.Output.Select(o => (dynamic)o.BaseObject).Where(s => s.Kind.ToString() == "ServerToken").ToList();
        dynamic token = Assert.Single(due);
        Assert.Equal($"CI Pipeline ({old.Id})", (string)token.Subject);
        Assert.True((bool)token.NeedsAction);
        Assert.Contains("Reset-ServerToken -Id " + old.Id, (string)token.Action);
        result.AssertNoSecret(jwt);
        result.AssertNoSecret(old.Secret);
    }

    [Fact]
    public void RotationAge_with_a_login_that_cannot_list_tokens_warns_and_reports_the_rest()
    {
        using var session = WithToken("member", TimeSpan.FromHours(8), out _);
        _emulator.State.ServerTokens.Add("org_1", "CI Pipeline", DateTimeOffset.UtcNow.AddDays(-120));
        var result = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken -RotationAge ([timespan]::FromDays(90))");
        Assert.Empty(result.Errors);
        dynamic only = Assert.Single(result.Output);
        Assert.Equal("EdgeConnectorToken", only.Kind.ToString());
        Assert.Contains(result.Warnings, w => w.Message.Contains("server tokens' age was not checked"));
    }

    [Fact]
    public void RotationAge_with_no_platform_credential_warns_with_the_reason_and_reports_the_rest()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var result = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken -RotationAge ([timespan]::FromDays(90))");
        Assert.Empty(result.Errors);
        Assert.Equal("Missing", ((dynamic)result.Single<object>()).State.ToString());
        // The reason is the missing credential, not a credential that may not list tokens.
        var warning = Assert.Single(result.Warnings, w => w.Message.Contains("server tokens' age was not checked"));
        Assert.Contains("No credential to call the platform", warning.Message);
        Assert.DoesNotContain("cannot list them", warning.Message);
    }

    [Fact]
    public void A_rotation_age_that_is_not_positive_is_refused()
    {
        using var session = WithToken("admin", TimeSpan.FromHours(8), out _);
        session.Run("Get-NaraAuthStatus -RotationAge ([timespan]::Zero)").AssertError("InvalidRotationAge", ErrorCategory.InvalidArgument);
    }
}
