using System.Collections;
using System.Management.Automation;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

public class ModuleManifestTests
{
    [Fact]
    public void Staged_manifest_passes_Test_ModuleManifest()
    {
        using var session = new PsSession(importModule: false);
        var result = session.Run("Test-ModuleManifest -Path $args[0] -ErrorAction Stop", RepoPaths.StagedManifest);
        var info = result.Single<PSModuleInfo>();
        Assert.Equal("NaraAuth", info.Name);
        Assert.Contains("Core", info.CompatiblePSEditions);
        Assert.Contains("Desktop", info.CompatiblePSEditions);
        Assert.Equal(new Version(5, 1), info.PowerShellVersion);
    }

    [Fact]
    public void Exported_cmdlets_are_exactly_the_manifests_list()
    {
        using var session = new PsSession();
        var declared = session.Run("(Test-ModuleManifest -Path $args[0]).ExportedCmdlets.Keys", RepoPaths.StagedManifest)
            .Output.Select(o => o.ToString()).OrderBy(s => s).ToList();
        var exported = session.Run("Get-Command -Module NaraAuth | ForEach-Object Name")
            .Output.Select(o => o.ToString()).OrderBy(s => s).ToList();
        Assert.NotEmpty(exported);
        Assert.Equal(declared, exported);
        var text = File.ReadAllText(RepoPaths.StagedManifest);
        Assert.DoesNotContain("'*'", text);
    }

    [Fact]
    public void Every_exported_cmdlet_uses_an_approved_verb()
    {
        using var session = new PsSession();
        var verbs = session.Run("[System.Management.Automation.VerbsCommon].GetFields().Name; [System.Management.Automation.VerbsCommunications].GetFields().Name; " +
            "[System.Management.Automation.VerbsData].GetFields().Name; [System.Management.Automation.VerbsDiagnostic].GetFields().Name; " +
            "[System.Management.Automation.VerbsLifecycle].GetFields().Name; [System.Management.Automation.VerbsSecurity].GetFields().Name; " +
            "[System.Management.Automation.VerbsOther].GetFields().Name").Output.Select(o => o.ToString()).ToHashSet();
        var commands = session.Run("Get-Command -Module NaraAuth | ForEach-Object Verb").Output.Select(o => o.ToString()).ToList();
        Assert.All(commands, verb => Assert.Contains(verb, verbs));
    }

    [Fact]
    public void Manifest_has_gallery_metadata()
    {
        using var session = new PsSession(importModule: false);
        var info = session.Run("Test-ModuleManifest -Path $args[0]", RepoPaths.StagedManifest).Single<PSModuleInfo>();
        Assert.NotEqual(Guid.Empty, info.Guid);
        Assert.False(string.IsNullOrWhiteSpace(info.Author));
        Assert.False(string.IsNullOrWhiteSpace(info.Description));
        var psData = (Hashtable)((Hashtable)info.PrivateData)["PSData"]!;
        Assert.NotNull(psData["Tags"]);
        Assert.NotNull(psData["ProjectUri"]);
        Assert.NotNull(psData["LicenseUri"]);
        Assert.NotNull(psData["ReleaseNotes"]);
    }

    [Fact]
    public void Manifest_loads_nothing_at_import_but_the_cmdlet_assembly()
    {
        // RequiredAssemblies, NestedModules and scripts to process would load Core's dependencies
        // into the default load context at import, defeating both isolation and a fast import.
        using var session = new PsSession(importModule: false);
        var info = session.Run("Test-ModuleManifest -Path $args[0]", RepoPaths.StagedManifest).Single<PSModuleInfo>();
        Assert.Equal("NaraAuth.dll", info.RootModule);
        Assert.Empty(info.RequiredAssemblies);
        Assert.Empty(info.NestedModules);
        Assert.Empty(info.Scripts);
        Assert.Empty(info.RequiredModules);
        Assert.Empty(info.ExportedTypeFiles);
    }

    [Fact]
    public void Staged_assemblies_carry_the_manifests_version()
    {
        using var session = new PsSession(importModule: false);
        var manifestVersion = session.Run("(Test-ModuleManifest -Path $args[0]).Version", RepoPaths.StagedManifest).Single<Version>();
        var stage = Path.GetDirectoryName(RepoPaths.StagedManifest)!;
        foreach (var file in new[] { "NaraAuth.dll", Path.Combine("Dependencies", "NaraAuth.Core.dll"), Path.Combine("Dependencies", "NaraAuth.ApiKeys.dll") })
        {
            var version = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(stage, file)).Version!;
            Assert.Equal(manifestVersion, new Version(version.Major, version.Minor, version.Build));
        }
    }
}
