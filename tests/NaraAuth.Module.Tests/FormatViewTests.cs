using System.Xml.Linq;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Every output type has a view, and no view can print a secret property.</summary>
public class FormatViewTests
{
    private static readonly string[] SecretProperties = { "Token", "ApiKey", "PreviousToken", "DeploymentSecret", "RefreshToken", "Secret", "IdToken", "AccessToken" };

    private static List<XElement> Views() =>
        Directory.GetFiles(RepoPaths.StagedModuleDirectory, "*.format.ps1xml")
            .SelectMany(f => XDocument.Load(f).Descendants("View")).ToList();

    [Fact]
    public void Every_output_type_of_every_cmdlet_has_a_view()
    {
        using var session = new PsSession();
        var outputTypes = session.Run("Get-Command -Module NaraAuth | ForEach-Object { $_.OutputType.Type } | Where-Object { $_.Namespace -eq 'NaraAuth.Models' } | ForEach-Object FullName")
            .Output.Select(o => o.ToString()).Distinct().ToList();
        Assert.True(outputTypes.Count >= 10, "expected the cmdlets to declare their output types: " + string.Join(", ", outputTypes));
        var viewed = Views().SelectMany(v => v.Descendants("TypeName")).Select(t => t.Value.Trim()).ToHashSet();
        Assert.All(outputTypes, type => Assert.True(viewed.Contains(type), type + " has no format view"));
    }

    [Fact]
    public void Every_format_file_is_listed_in_the_manifest()
    {
        var manifest = File.ReadAllText(RepoPaths.StagedManifest);
        foreach (var file in Directory.GetFiles(RepoPaths.StagedModuleDirectory, "*.format.ps1xml"))
            Assert.Contains("'" + Path.GetFileName(file) + "'", manifest);
    }

    [Fact]
    public void No_view_shows_a_secret_property()
    {
        var views = Views();
        Assert.NotEmpty(views);
        foreach (var view in views)
        {
            var name = view.Element("Name")?.Value;
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value.Trim()))
                Assert.False(SecretProperties.Contains(property), $"view {name} shows the secret property {property}");
            foreach (var script in view.Descendants("ScriptBlock").Select(s => s.Value))
            {
                foreach (var secret in SecretProperties)
                {
                    // A script block may test a secret for presence, never output it.
                    if (!System.Text.RegularExpressions.Regex.IsMatch(script, @"\$_\." + secret + @"\b")) continue;
                    Assert.Matches(@"^\s*if\s*\(\s*\$null\s*-ne\s*\$_\." + secret + @"\s*\)\s*\{\s*'[^']*'\s*\}\s*else\s*\{\s*'[^']*'\s*\}\s*$", script);
                }
            }
        }
    }
}
