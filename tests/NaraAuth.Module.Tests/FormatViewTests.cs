using System.Xml.Linq;
using NaraAuth.TestSupport.Harness;

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

/// <summary>Output types use the module's own public enums, each a twin of a Core enum.</summary>
public class OutputEnumTests
{
    [Theory]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.Tokens.TokenPathSource", "NaraAuth.Models.TokenFileSource")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.Worker.WorkerTokenSource", "NaraAuth.Models.WorkerTokenSource")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.EdgeConnector.DeploymentCredentialSource", "NaraAuth.Models.DeploymentCredentialSource")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.EdgeConnector.Login.EdgeConnectorLoginMode", "NaraAuth.Models.EdgeConnectorMode")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.EdgeConnector.Login.EdgeConnectorLoginStatus", "NaraAuth.Models.EdgeConnectorStatus")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.Logout.LogoutStatus", "NaraAuth.Models.DisconnectStatus")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.Status.CredentialProbeOutcome", "NaraAuth.Models.ApiKeyLiveResult")]
    [InlineData("NaraAuth.ApiKeys", "NaraAuth.ApiKeys.ApiKeyStatus", "NaraAuth.Models.ApiKeyStatus")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.Oidc.OidcLoginSource", "NaraAuth.Models.OidcLoginSource")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.Status.CredentialKind", "NaraAuth.Models.CredentialKind")]
    [InlineData("NaraAuth.Core", "NaraAuth.Core.Status.CredentialState", "NaraAuth.Models.CredentialState")]
    public void Every_core_value_has_a_public_twin(string assembly, string coreEnum, string modelEnum)
    {
        using var session = new PsSession();
        // Loading the assembly through the module's own load context, as a cmdlet would.
        var script = "$asm = [System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq $args[0] } | ForEach-Object { $_ }; " +
            "if (-not $asm) { $ctx = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'NaraAuth'; $asm = $ctx.LoadFromAssemblyName([Reflection.AssemblyName]::new($args[0])) }; " +
            "[Enum]::GetNames(@($asm)[0].GetType($args[1], $true)) -join ','";
        var core = session.Run(script, assembly, coreEnum).Single<string>().Split(',');
        var model = session.Run("[Enum]::GetNames([type]$args[0]) -join ','", modelEnum).Single<string>().Split(',');
        Assert.Equal(core.OrderBy(n => n), model.OrderBy(n => n));
    }

    [Fact]
    public void No_output_property_named_Status_Mode_Source_or_Result_is_plain_text()
    {
        using var session = new PsSession();
        var offenders = session.Run(
            "foreach ($t in [NaraAuth.Models.AuthTokenInfo].Assembly.GetExportedTypes()) { if ($t.Namespace -ne 'NaraAuth.Models' -or $t.IsEnum) { continue }; " +
            "foreach ($p in $t.GetProperties()) { if ($p.Name -in 'Status','Mode','Source','Result','CredentialSource' -and $p.PropertyType -eq [string]) { $t.Name + '.' + $p.Name } } }")
            .Output.Select(o => o.ToString()).ToList();
        // A run's status is the platform's own word for it, not a value the module defines.
        Assert.Equal(new[] { "NaraAgentRunResult.Status" }, offenders);
    }
}
