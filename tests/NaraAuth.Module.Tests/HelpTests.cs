using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Get-Help in the real engine shows complete help for every exported cmdlet.</summary>
public class HelpTests
{
    [Fact]
    public void Every_cmdlet_has_synopsis_description_parameter_descriptions_and_two_examples()
    {
        using var session = new PsSession();
        var names = session.Run("Get-Command -Module NaraAuth | ForEach-Object Name").Output.Select(o => o.ToString()).ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var synopsis = session.Run("(Get-Help $args[0] -Full).Synopsis", name).Output.Single().ToString();
            Assert.False(string.IsNullOrWhiteSpace(synopsis), name + " has no synopsis");
            Assert.False(synopsis.TrimStart().StartsWith(name + " ", StringComparison.Ordinal), name + " shows generated syntax instead of a synopsis");

            var description = string.Concat(session.Run("(Get-Help $args[0] -Full).description | ForEach-Object Text", name).Output.Select(o => o.ToString()));
            Assert.True(description.Length > 40, name + " has no real description");

            var examples = session.Run("(Get-Help $args[0] -Full).examples.example | ForEach-Object code", name).Output;
            Assert.True(examples.Count >= 2, name + " has fewer than two examples");

            var parameters = session.Run("(Get-Help $args[0] -Full).parameters.parameter | ForEach-Object { $_.name + '|' + (($_.description | ForEach-Object Text) -join ' ') }", name)
                .Output.Select(o => o.ToString()).ToList();
            var declared = session.Run("(Get-Command $args[0]).Parameters.Keys", name).Output.Select(o => o.ToString())
                .Where(p => !new[] { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable" }.Contains(p)).ToList();
            foreach (var parameter in declared)
            {
                var entry = parameters.FirstOrDefault(p => p.StartsWith(parameter + "|", StringComparison.OrdinalIgnoreCase));
                Assert.True(entry != null && entry.Length > parameter.Length + 10, $"{name} -{parameter} has no description in Get-Help");
            }
        }
    }

    [Fact]
    public void Every_cmdlet_has_an_online_help_page_that_exists_in_the_repository()
    {
        // Get-Help -Online opens the first related link with a URI; it must be the cmdlet's own
        // page under docs/help, which the repository holds.
        using var session = new PsSession();
        var names = session.Run("Get-Command -Module NaraAuth | ForEach-Object Name").Output.Select(o => o.ToString()).ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var uri = session.Run("(Get-Help $args[0] -Full).relatedLinks.navigationLink | ForEach-Object { if ($_.uri) { $_.uri } }", name)
                .Output.First().ToString();
            Assert.EndsWith("/blob/main/docs/help/" + name + ".md", uri);
            Assert.StartsWith("https://", uri);
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "docs", "help", name + ".md")), name + " has no page in docs/help");
        }
    }

    [Fact]
    public void About_topic_explains_modes_variables_and_file_locations()
    {
        using var session = new PsSession();
        var text = string.Join("\n", session.Run("Get-Help about_NaraAuth").Output.Select(o => o.ToString()));
        Assert.Contains("AUTH_TOKEN_PATH", text);
        Assert.Contains("session.json", text);
        Assert.Contains("0600", text);
        // Every cmdlet is introduced there, so Get-Help about_NaraAuth is a map of the module.
        foreach (var name in session.Run("Get-Command -Module NaraAuth | ForEach-Object Name").Output.Select(o => o.ToString()))
            Assert.Contains(name, text);
        foreach (var file in new[] { "auth-token.json", "default-bundle.json", "deployment.yaml", "device.json", ".msal.bin", "config.json", "naraauth/oidc", ".tmp" })
            Assert.Contains(file, text);
    }

    [Fact]
    public void About_topic_names_every_exported_cmdlet_in_its_cmdlet_list()
    {
        using var session = new PsSession();
        var text = string.Join("\n", session.Run("Get-Help about_NaraAuth").Output.Select(o => o.ToString()));
        // The CMDLETS section, where each cmdlet has a line of its own that starts with its name.
        var start = text.IndexOf("CMDLETS", StringComparison.Ordinal);
        Assert.True(start >= 0, "about_NaraAuth has no CMDLETS section");
        var end = text.IndexOf("CREDENTIALS AND WHERE THEY LIVE", start, StringComparison.Ordinal);
        var section = text.Substring(start, end - start);
        var exported = session.Run("(Get-Module NaraAuth).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).ToList();
        Assert.True(exported.Count >= 17, "expected at least 17 exported cmdlets: " + string.Join(", ", exported));
        foreach (var name in exported)
            Assert.Matches(@"(?m)^\s+" + System.Text.RegularExpressions.Regex.Escape(name) + @"\s{2,}\S", section);
    }

    [Fact]
    public void Every_cmdlet_names_its_online_page_as_HelpUri()
    {
        using var session = new PsSession();
        var rows = session.Run("Get-Command -Module NaraAuth | ForEach-Object { $_.Name + '|' + $_.HelpUri }").Output.Select(o => o.ToString().Split('|')).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            // The same page as the MAML's online link, so Get-Help -Online works with or without the help files.
            var link = session.Run("(Get-Help $args[0] -Full).relatedLinks.navigationLink | ForEach-Object { if ($_.uri) { $_.uri } }", row[0]).Output.First().ToString();
            Assert.Equal(link, row[1]);
        }
    }
}
