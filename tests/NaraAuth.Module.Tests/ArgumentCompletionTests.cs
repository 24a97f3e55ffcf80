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

    [Fact]
    public void A_hostile_platforms_names_complete_quoted_and_clean_and_its_echoed_credential_is_not_shown()
    {
        using var session = AdminSession("completes_hostile", out var jwt);
        var hostile = new[]
        {
            new NaraAuth.Emulator.Platform.FunctionalAgent("x&whoami", "runs a second command"),
            new NaraAuth.Emulator.Platform.FunctionalAgent("x$(Get-Date)", "expands a subexpression"),
            new NaraAuth.Emulator.Platform.FunctionalAgent("x'; Remove-Item ~ #", "ends the quote"),
            new NaraAuth.Emulator.Platform.FunctionalAgent("x\u2019; whoami", "ends a typographic quote"),
            new NaraAuth.Emulator.Platform.FunctionalAgent("x\u001b]0;owned\u0007plain", "your key is " + jwt + " \u001b[2J"),
        };
        _emulator.State.Agents.Agents.AddRange(hostile);
        try
        {
            var matches = session.Run(Complete, "Get-NaraAgent -Name x");
            var lines = matches.Output.Select(o => o.ToString()!).ToList();
            var texts = lines.Select(l => l[..l.LastIndexOf('|')]).ToList();
            Assert.Contains("'x&whoami'", texts);
            Assert.Contains("'x$(Get-Date)'", texts);
            Assert.Contains("'x''; Remove-Item ~ #'", texts);
            Assert.Contains("'x\u2019\u2019; whoami'", texts);
            Assert.Contains("xplain", texts);
            // Each completed line parses as one command with one argument, which is the name itself.
            foreach (var text in texts)
            {
                var ast = System.Management.Automation.Language.Parser.ParseInput("Get-NaraAgent -Name " + text, out _, out var errors);
                Assert.Empty(errors);
                var commands = ast.FindAll(a => a is System.Management.Automation.Language.CommandAst, true).ToList();
                Assert.Single(commands);
                Assert.DoesNotContain(ast.FindAll(a => a is System.Management.Automation.Language.SubExpressionAst, true), _ => true);
            }
            Assert.All(lines, l => Assert.DoesNotContain('\u001b', l));
            Assert.All(lines, l => Assert.DoesNotContain('\u0007', l));
            Assert.Contains(lines, l => l.EndsWith("|your key is ***", StringComparison.Ordinal));
            matches.AssertNoSecret(jwt);
        }
        finally
        {
            foreach (var agent in hostile) _emulator.State.Agents.Agents.Remove(agent);
        }
    }

    [Fact]
    public void Completion_goes_through_the_proxy_typed_on_the_line_and_its_account_only_to_the_proxy()
    {
        using var session = AdminSession("completes_proxied", out var jwt);
        var account = new System.Net.NetworkCredential("proxy-user", "completion-proxy-pass-3Zq");
        using var proxy = new ForwardingProxy(account);
        session.Run("$global:proxyAccount = [pscredential]::new($args[0], $args[1])", account.UserName, account.SecurePassword);
        var before = _emulator.State.Faults.Seen.Count(r => r.Path == "/api/agent/run");
        var lines = Matches(session, $"Get-NaraAgent -Proxy '{proxy.Address}' -ProxyCredential $proxyAccount -TimeoutSec 30 -Name sum");
        Assert.Equal(new[] { "summarizeTicket" }, lines.Select(m => m.Split('|')[0]));
        var reached = _emulator.State.Faults.Seen.Where(r => r.Path == "/api/agent/run").Skip(before).ToList();
        Assert.NotEmpty(reached);
        Assert.All(reached, r => Assert.True(proxy.IsOwnOutboundPort(r.RemotePort), "Completion went around the proxy."));
        proxy.AssertAccountOnlyInProxyAuthorization(account);

        // A -Proxy completion cannot know yet (an unset variable) sends nothing anywhere.
        var seen = _emulator.State.Faults.Seen.Count;
        using var other = AdminSession("completes_unknown_proxy", out _);
        Assert.Empty(Matches(other, "Get-NaraAgent -Proxy $notSetAnywhere -Name sum"));
        Assert.Equal(seen, _emulator.State.Faults.Seen.Count);
    }

    [Fact]
    public void Completion_honours_a_typed_BaseUrl_over_the_environment_and_refuses_a_blank_one()
    {
        using var session = AdminSession("completes_blank_base", out _);
        // NARA_BASE_URL names the emulator; a typed -BaseUrl of blanks must not fall back to it.
        var seen = _emulator.State.Faults.Seen.Count;
        Assert.Empty(Matches(session, "Get-NaraAgent -BaseUrl '   ' -Name sum"));
        Assert.Equal(seen, _emulator.State.Faults.Seen.Count);
    }
}
