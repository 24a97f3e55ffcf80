using System.Text.RegularExpressions;
using NaraAuth.Emulator;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>The emulator's start banner, used as a newcomer would: every address and credential it names works.</summary>
public class EmulatorBannerTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public EmulatorBannerTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    private string Banner() => string.Join("\n", EmulatorBanner.Lines(_emulator.Server));

    private static string Find(string banner, string pattern)
    {
        var match = Regex.Match(banner, pattern);
        Assert.True(match.Success, $"The banner has no match for {pattern}:\n{banner}");
        return match.Groups[1].Value;
    }

    [Fact]
    public void Starts_with_the_address_scripts_read_and_ends_with_how_to_stop()
    {
        var lines = EmulatorBanner.Lines(_emulator.Server);
        Assert.Equal("NaraAuth emulator listening on " + _emulator.Server.BaseUrl, lines[0]);
        Assert.Matches("Ctrl\\+C", lines[^1]);
    }

    [Fact]
    public void Every_shell_line_is_labelled_and_uses_only_its_own_shell_syntax()
    {
        var lines = EmulatorBanner.Lines(_emulator.Server);
        var powershell = lines.Where(l => l.Contains("PowerShell")).ToList();
        var bash = lines.Where(l => l.Contains("bash")).ToList();
        Assert.Equal(2, powershell.Count);
        Assert.Equal(2, bash.Count);
        Assert.All(powershell, l => Assert.DoesNotContain("export ", l));
        Assert.All(powershell, l => Assert.Contains("$env:", l));
        Assert.All(bash, l => Assert.DoesNotContain("$env:", l));
        Assert.All(bash, l => Assert.Contains("export ", l));
        // Unlabelled lines hold no shell syntax at all.
        Assert.All(lines.Except(powershell).Except(bash), l => Assert.DoesNotMatch(@"export |\$env:", l));
        Assert.Contains(bash, l => l.Contains("NARA_BASE_URL='" + _emulator.BaseUrl.ToString().TrimEnd('/') + "'"));
    }

    [Fact]
    public async Task The_approval_page_it_names_shows_a_pending_login()
    {
        var page = Find(Banner(), @"Approval page:\s+(\S+)");
        var login = _emulator.State.EdgeConnector.Start("banner-check", "device-1", DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        var html = await http.GetStringAsync(page.Replace("CODE", login.Code), TestContext.Current.CancellationToken);
        Assert.Contains(login.Code, html);
        Assert.Contains("Approve", html);
    }

    [Fact]
    public void The_demo_deployment_it_names_is_verified_by_Connect_EdgeConnector()
    {
        var banner = Banner();
        var id = Find(banner, @"DEPLOYMENT_ID='([^']+)'");
        var secret = Find(banner, @"DEPLOYMENT_SECRET='([^']+)'");
        using var session = new PsSession();
        session.SetEnv("DEPLOYMENT_ID", id);
        session.SetEnv("DEPLOYMENT_SECRET", secret);
        dynamic connection = session.Run("Connect-EdgeConnector -Deployment -BaseUrl $args[0]", _emulator.BaseUrl).Single<object>();
        Assert.Equal("Verified", connection.Status.ToString());
        Assert.Equal(id, (string)connection.DeploymentId);
    }

    [Fact]
    public async Task The_OIDC_authority_and_client_it_names_are_the_provider_s_own()
    {
        var banner = Banner();
        var authority = Find(banner, @"-Authority (\S+)");
        var client = Find(banner, @"-ClientId (\S+)");
        using var http = new HttpClient();
        var discovery = await http.GetStringAsync(authority + "/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        Assert.Contains("\"issuer\":\"" + authority + "\"", discovery.Replace(" ", string.Empty));
        Assert.Contains(client, _emulator.State.Oidc.Clients);
    }
}
