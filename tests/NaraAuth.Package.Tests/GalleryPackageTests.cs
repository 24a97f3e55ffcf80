using System.IO.Compression;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Xml.Linq;

namespace NaraAuth.Package.Tests;

public class GalleryPackageTests : IClassFixture<GalleryPackageFixture>
{
    private readonly GalleryPackageFixture _package;

    public GalleryPackageTests(GalleryPackageFixture package) => _package = package;

    private string PackagePath() => _package.PackagePath;
    private static string ManifestVersion() => GalleryPackageFixture.ManifestVersion();

    [Fact]
    public void Package_holds_the_module_and_nothing_else()
    {
        Assert.Equal($"NaraAuth.{ManifestVersion()}.nupkg", Path.GetFileName(PackagePath()));
        using var zip = ZipFile.OpenRead(PackagePath());
        var names = zip.Entries.Select(e => e.FullName).ToList();
        foreach (var required in new[] { "NaraAuth.psd1", "NaraAuth.dll", "LICENSE", "en-US/NaraAuth.dll-Help.xml", "en-US/about_NaraAuth.help.txt",
                     "Dependencies/NaraAuth.Core.dll", "Dependencies/NaraAuth.Loader.dll", "README.md" })
            Assert.Contains(required, names);
        Assert.Contains(names, n => n.EndsWith(".format.ps1xml", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.EndsWith(".pdb", StringComparison.Ordinal) || n.EndsWith(".cs", StringComparison.Ordinal)
            || n.EndsWith(".deps.json", StringComparison.Ordinal) || n.Contains("Test", StringComparison.OrdinalIgnoreCase)
            || n.Contains("Emulator", StringComparison.Ordinal) || n.EndsWith("System.Management.Automation.dll", StringComparison.Ordinal)
            || (n.EndsWith(".md", StringComparison.Ordinal) && n != "README.md"));
        // Only NaraAuth.dll at the root: everything else loads through the module's own context.
        Assert.Equal(new[] { "NaraAuth.dll" }, names.Where(n => !n.Contains('/') && n.EndsWith(".dll", StringComparison.Ordinal)));
    }

    [Fact]
    public void Nuspec_metadata_matches_the_manifest()
    {
        using var zip = ZipFile.OpenRead(PackagePath());
        using var stream = zip.GetEntry("NaraAuth.nuspec")!.Open();
        var nuspec = XDocument.Load(stream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("NaraAuth", metadata.Element(ns + "id")!.Value);
        Assert.Equal(ManifestVersion(), metadata.Element(ns + "version")!.Value);
        // What the Gallery shows comes from the manifest alone: one source for both.
        var manifest = File.ReadAllText(Path.Combine(GalleryPackageFixture.Root, "NaraAuth.psd1"));
        string Field(string name) => System.Text.RegularExpressions.Regex.Match(manifest, name + @"\s*=\s*'([^']*)'").Groups[1].Value;
        Assert.Equal(Field("Description"), metadata.Element(ns + "description")!.Value);
        Assert.Equal(Field("Author"), metadata.Element(ns + "authors")!.Value);
        Assert.Equal(Field("LicenseUri"), metadata.Element(ns + "licenseUrl")!.Value);
        Assert.Equal(Field("ProjectUri"), metadata.Element(ns + "projectUrl")!.Value);
        Assert.Equal(Field("ReleaseNotes"), metadata.Element(ns + "releaseNotes")!.Value);
        var tags = metadata.Element(ns + "tags")!.Value.Split(' ');
        Assert.Contains("PSModule", tags);
        var manifestTags = System.Text.RegularExpressions.Regex.Match(manifest, @"Tags\s*=\s*@\(([^)]*)\)").Groups[1].Value;
        foreach (System.Text.RegularExpressions.Match tag in System.Text.RegularExpressions.Regex.Matches(manifestTags, "'([^']+)'"))
            Assert.Contains(tag.Groups[1].Value, tags);
    }

    [Fact]
    public void Module_imports_from_the_unpacked_package_and_its_cmdlets_work()
    {
        var install = Directory.CreateTempSubdirectory("naraauth-pkg-").FullName;
        try
        {
            // As Install-PSResource lays it out: <modules>/NaraAuth/<version>/, without NuGet's own files.
            var target = Path.Combine(install, "NaraAuth", ManifestVersion());
            using (var zip = ZipFile.OpenRead(PackagePath()))
            {
                foreach (var entry in zip.Entries.Where(e => !e.FullName.StartsWith("_rels/", StringComparison.Ordinal)
                             && !e.FullName.StartsWith("package/", StringComparison.Ordinal) && e.FullName != "[Content_Types].xml" && !e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)))
                {
                    var path = Path.Combine(target, Uri.UnescapeDataString(entry.FullName));
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    entry.ExtractToFile(path);
                }
            }
            Environment.SetEnvironmentVariable("PSModulePath", install);
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            // By name, through PSModulePath, as a user would after Install-Module.
            ps.AddScript("Import-Module NaraAuth -ErrorAction Stop; Get-Command -Module NaraAuth | ForEach-Object Name; (Get-Module NaraAuth).ModuleBase");
            var output = ps.Invoke().Select(o => o.ToString()).ToList();
            Assert.False(ps.HadErrors, string.Join("; ", ps.Streams.Error));
            Assert.Contains("Get-AuthToken", output);
            Assert.Equal(target, output.Last());

            ps.Commands.Clear();
            ps.AddScript("Get-AuthToken -Path $args[0]").AddArgument(Path.Combine(install, "none.json"));
            ps.Invoke();
            Assert.Equal("TokenFileNotFound,NaraAuth.Commands.GetAuthTokenCommand", ps.Streams.Error.Single().FullyQualifiedErrorId);
        }
        finally
        {
            Directory.Delete(install, recursive: true);
        }
    }
}
