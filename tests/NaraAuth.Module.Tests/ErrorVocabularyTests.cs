using System.Management.Automation;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// One error vocabulary: a missing literal name, a Disconnect- with nothing to remove, the
/// TargetObject of a record and -Force read the same in every cmdlet.
/// </summary>
public class ErrorVocabularyTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public ErrorVocabularyTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private PsSession LoggedIn()
    {
        var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        session.SetEnv("NARA_TOKEN", _emulator.State.MintToken());
        return session;
    }

    [Theory]
    [InlineData("Get-ServerToken -Name $args[0]", "ServerTokenNotFound")]
    [InlineData("Revoke-ServerToken -Name $args[0] -Confirm:$false", "ServerTokenNotFound")]
    [InlineData("Get-NaraAgent -Name $args[0]", "NaraAgentNotFound")]
    public void A_missing_literal_name_is_a_non_terminating_not_found_error_naming_it(string command, string errorId)
    {
        using var session = LoggedIn();
        // The command goes on after the error, as Get-Item does: the next statement runs.
        var result = session.Run(command + "; 'went on'", "No such thing");
        Assert.Null(result.Terminating);
        var error = result.AssertError(errorId, ErrorCategory.ObjectNotFound);
        Assert.Equal("No such thing", error.TargetObject);
        Assert.Contains("'No such thing'", error.Exception.Message);
        Assert.Equal("went on", result.Output.Last().ToString());

        // A wildcard that matches nothing stays silent.
        var wildcard = session.Run(command, "No such*");
        Assert.Null(wildcard.Terminating);
        Assert.Empty(wildcard.Errors);
    }

    [Theory]
    [InlineData("Disconnect-EdgeConnector -InstallPath $args[0]")]
    [InlineData("Disconnect-EdgePlane")]
    [InlineData("Disconnect-OidcSession -Authority https://idp.example.com/ -ClientId naraauth-cli")]
    public void Every_Disconnect_with_nothing_to_remove_succeeds_with_a_verbose_note_and_says_NotConnected(string command)
    {
        using var session = new PsSession();
        var quiet = session.Run(command, session.WorkDir);
        Assert.Null(quiet.Error);
        Assert.Empty(quiet.Warnings);
        Assert.Empty(quiet.Output);

        var passThru = session.Run(command + " -PassThru -Verbose", session.WorkDir);
        Assert.Null(passThru.Error);
        Assert.Empty(passThru.Warnings);
        Assert.Equal("NotConnected", ((dynamic)passThru.Single<object>()).Status.ToString());
        Assert.Contains(passThru.Verbose, v => v.Message.StartsWith("Not connected: ", StringComparison.Ordinal) && v.Message.Contains("nothing", StringComparison.Ordinal));
    }

    [Fact]
    public void Disconnect_EdgePlane_PassThru_lists_the_removed_session_file()
    {
        using var session = new PsSession();
        var path = Path.Combine(session.Home, ".edgeplane", "session.json");
        _emulator.State.PreApprove = true;
        session.Run("Invoke-OidcCliLogin -BaseUrl $args[0] -NoBrowser", _emulator.BaseUrl).Single<object>();
        Assert.True(File.Exists(path));

        dynamic whatIf = session.Run("Disconnect-EdgePlane -PassThru -WhatIf").Single<object>();
        Assert.Equal("WhatIf", whatIf.Status.ToString());
        Assert.True(File.Exists(path));

        dynamic done = session.Run("Disconnect-EdgePlane -PassThru").Single<object>();
        Assert.Equal("Disconnected", done.Status.ToString());
        Assert.Equal(new[] { path }, (string[])done.Removed);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void An_error_raised_while_reading_a_token_file_names_that_file()
    {
        using var session = new PsSession();
        var path = EdgeConnectorTestKit.WriteTokenFile(Path.Combine(session.WorkDir, "auth-token.json"), _emulator.State.MintToken(lifetime: TimeSpan.FromHours(-1)));
        var expired = session.Run("Get-AuthToken -Path $args[0]", path).AssertError("TokenExpired", ErrorCategory.AuthenticationError);
        Assert.Equal(path, expired.TargetObject);

        var missing = Path.Combine(session.WorkDir, "none.json");
        Assert.Equal(missing, session.Run("Get-AuthToken -Path $args[0]", missing).AssertError("TokenFileNotFound").TargetObject);
    }

    [Fact]
    public void A_platform_error_that_names_nothing_else_names_the_platform()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        session.SetEnv("NARA_TOKEN", _emulator.State.MintToken(role: "member"));
        var forbidden = session.Run("Get-ServerToken").AssertError("Forbidden");
        Assert.StartsWith(_emulator.BaseUrl, forbidden.TargetObject?.ToString());
    }

    [Fact]
    public void A_missing_setting_names_the_parameter_or_variable_to_set()
    {
        using var session = new PsSession();
        session.SetEnv("OIDC_ISSUER_URL", null);
        Assert.Equal("OIDC_ISSUER_URL", session.Run("Invoke-OidcCliLogin -ClientId cli -UseDeviceCode").AssertError("OidcAuthorityMissing").TargetObject);
        Assert.Equal("-UseDeviceCode", session.Run("Invoke-OidcCliLogin -Authority https://idp.example.com/ -ClientId cli -UseDeviceCode -UseBrowser")
            .AssertError("OidcModeConflict").TargetObject);
    }

    [Fact]
    public void Reset_WorkerToken_asks_first_and_Force_skips_only_the_question()
    {
        using var session = new PsSession();
        var config = Path.Combine(session.WorkDir, "deployment.yaml");
        session.SetEnv("NODETOOL_CONFIG_PATH", config);
        session.SetEnv("WORKER_AUTH_TOKEN", null);
        File.WriteAllText(config, "worker_auth_token: first-token\n");
        UnixModes.Set(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // High impact, as Revoke-ServerToken: a plain call asks, and "No" keeps the token.
        session.Host.Recorder.ChoiceAnswers.Enqueue("N");
        Assert.Empty(session.Run("Reset-WorkerToken").Output);
        Assert.Contains(session.Host.Recorder.Prompts, p => p.Contains(config, StringComparison.Ordinal));
        Assert.Equal("worker_auth_token: first-token\n", File.ReadAllText(config));

        var promptsBefore = session.Host.Recorder.Prompts.Count;
        session.Run("Reset-WorkerToken -Force -WhatIf");
        Assert.Equal("worker_auth_token: first-token\n", File.ReadAllText(config));

        dynamic rotated = session.Run("Reset-WorkerToken -Force -AsPlainText").Single<object>();
        Assert.Equal(promptsBefore, session.Host.Recorder.Prompts.Count);
        Assert.Equal("first-token", (string)rotated.PreviousToken);
        Assert.Equal("worker_auth_token: " + (string)rotated.Token + "\n", File.ReadAllText(config));
    }

    [Fact]
    public void Every_core_error_category_maps_to_the_PowerShell_category_of_its_name()
    {
        using var session = new PsSession();
        // The mapping as the cmdlets use it, called through the module's own load context.
        var script = "$map = [NaraAuth.Models.AuthTokenInfo].Assembly.GetType('NaraAuth.Infrastructure.ErrorRecords', $true).GetMethod('MapCategory'); " +
            "$core = $map.GetParameters()[0].ParameterType; " +
            "foreach ($name in [Enum]::GetNames($core)) { '{0}={1}' -f $name, $map.Invoke($null, @([Enum]::Parse($core, $name))) }";
        var pairs = session.Run(script).Output.Select(o => o.ToString()!.Split('=')).ToList();
        Assert.True(pairs.Count > 10, "NaraErrorCategory was not found: " + string.Join(",", pairs.Select(p => p[0])));
        // A defined category that fell back to NotSpecified would show here as Name=NotSpecified.
        Assert.All(pairs, pair => Assert.Equal(pair[0], pair[1]));
    }
}
