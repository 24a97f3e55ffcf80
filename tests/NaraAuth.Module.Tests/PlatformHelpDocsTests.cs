using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>docs/help pages of the server token and API cmdlets describe every parameter and have examples.</summary>
public class PlatformHelpDocsTests
{
    [Theory]
    [InlineData("New-ServerToken")]
    [InlineData("Get-ServerToken")]
    [InlineData("Revoke-ServerToken")]
    [InlineData("Invoke-NaraRestMethod")]
    [InlineData("Get-NaraAgent")]
    [InlineData("Start-NaraAgentRun")]
    public void Help_page_covers_every_parameter(string cmdlet)
    {
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "help", cmdlet + ".md"));
        Assert.StartsWith("# " + cmdlet + "\n## SYNOPSIS\n", page);
        Assert.True(page.Split("\n### Example ").Length - 1 >= 2, "needs at least two examples");
        using var session = new PsSession();
        var parameters = session.Run("(Get-Command $args[0]).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }", cmdlet)
            .Output.Select(o => o.ToString()).ToList();
        Assert.NotEmpty(parameters);
        foreach (var parameter in parameters)
        {
            var heading = "\n### -" + parameter + "\n";
            var at = page.IndexOf(heading, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{cmdlet}.md does not describe -{parameter}");
            var description = page.Substring(at + heading.Length).Split("\n#")[0].Trim();
            Assert.True(description.Length > 10, $"{cmdlet}.md: -{parameter} has no real description");
        }
    }
}
