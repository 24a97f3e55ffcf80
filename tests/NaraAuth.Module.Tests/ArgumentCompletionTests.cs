using System.Management.Automation;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Tab completion of live names, through the engine's own completion entry point.</summary>
public class ArgumentCompletionTests : IClassFixture<EmulatorFixture>
{
    private const string Complete =
        "[System.Management.Automation.CommandCompletion]::CompleteInput($args[0], $args[0].Length, $null).CompletionMatches | " +
        "ForEach-Object { $_.CompletionText + '|' + $_.ToolTip }";

    private readonly EmulatorFixture _emulator;

    public ArgumentCompletionTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.ServerTokens.Clear();
    }

    /// <summary>
    /// Each test logs in as its own user: answers are cached per credential for a few seconds, and
    /// two tokens minted in the same second for the same user are the same token.
    /// </summary>
    private PsSession AdminSession(string user, out string jwt)
    {
        var session = new PsSession();
        jwt = _emulator.State.MintToken(subject: user, role: "admin");
        session.SetEnv("NARA_TOKEN", jwt);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        return session;
    }

    private static List<string> Matches(PsSession session, string input) =>
        session.Run(Complete, input).Output.Select(o => o.ToString()).ToList();

    [Fact]
    public void Server_token_names_and_ids_complete_from_the_platform_and_follow_changes()
    {
        using var session = AdminSession("completes_tokens", out var jwt);
        var created = _emulator.State.ServerTokens.Add("org_1", "CI Pipeline", DateTimeOffset.UtcNow);
        _emulator.State.ServerTokens.Add("org_1", "Nightly", DateTimeOffset.UtcNow);

        Assert.Equal(new[] { "'CI Pipeline'|CI Pipeline (" + created.Id + ")" }, Matches(session, "Get-ServerToken -Name ci"));
        Assert.Equal(new[] { "Nightly" }, Matches(session, "Revoke-ServerToken -Name N").Select(m => m.Split('|')[0]));
        Assert.Contains(created.Id + "|CI Pipeline (" + created.Id + ")", Matches(session, "Revoke-ServerToken -Id tok"));

        // A token created from this session shows on the next Tab, not after the cache expires.
        var made = session.Run("New-ServerToken -Name 'Release' | Out-Null");
        Assert.Empty(made.Errors);
        Assert.Equal(new[] { "Release" }, Matches(session, "Get-ServerToken -Name Rel").Select(m => m.Split('|')[0]));
        foreach (var line in Matches(session, "Get-ServerToken -Name ")) Assert.DoesNotContain(jwt, line);
    }

    [Fact]
    public void Agent_names_complete_for_listing_and_running()
    {
        using var session = AdminSession("completes_agents", out _);
        Assert.Equal(new[] { "summarizeTicket" }, Matches(session, "Start-NaraAgentRun -Name sum").Select(m => m.Split('|')[0]));
        Assert.Contains("classifyEmail", Matches(session, "Get-NaraAgent -Name ").Select(m => m.Split('|')[0]));
    }

    [Fact]
    public void Completion_uses_the_token_and_platform_typed_on_the_line()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(subject: "completes_typed", role: "admin");
        _emulator.State.ServerTokens.Add("org_1", "Typed", DateTimeOffset.UtcNow);
        var line = $"Get-ServerToken -Token '{jwt}' -BaseUrl '{_emulator.BaseUrl}' -Name Ty";
        Assert.Equal(new[] { "Typed" }, Matches(session, line).Select(m => m.Split('|')[0]));
    }

    [Fact]
    public void Without_a_credential_or_a_reachable_platform_completion_offers_nothing_and_says_nothing()
    {
        using var session = new PsSession();
        var none = session.Run(Complete, "Get-ServerToken -Name ");
        Assert.Empty(none.Output);
        Assert.Empty(none.Errors);

        session.SetEnv("NARA_TOKEN", _emulator.State.MintToken(subject: "completes_nothing", role: "admin"));
        session.SetEnv("NARA_BASE_URL", "http://127.0.0.1:9");
        var unreachable = session.Run(Complete, "Start-NaraAgentRun -Name ");
        Assert.Empty(unreachable.Output);
        Assert.Empty(unreachable.Errors);
        Assert.Empty(unreachable.Warnings);
    }
}
