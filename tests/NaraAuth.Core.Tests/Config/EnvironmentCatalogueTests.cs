using System.Text.RegularExpressions;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Tests.Config;

/// <summary>
/// Every environment variable is named once, in <see cref="EnvironmentVariables"/>, and the test
/// suites isolate exactly that list: a variable the module starts to read without the catalogue,
/// or the catalogue without the suites, fails here rather than reaching a developer's credentials.
/// </summary>
public class EnvironmentCatalogueTests
{
    private static readonly string[] SourceRoots = { "src/NaraAuth.Core", "src/NaraAuth" };
    private const string CatalogueFile = "src/NaraAuth.Core/Config/EnvironmentVariables.cs";

    /// <summary>
    /// Upper-case words joined by '_' that are no variable of the module: an SDDL marker, and the
    /// EdgePlane server's own setting that a message tells the person about.
    /// </summary>
    private static readonly HashSet<string> NotVariables = new(StringComparer.Ordinal) { "NO_ACCESS_CONTROL", "AUTH_MODE" };

    private static readonly Regex StringLiteral = new(@"\$?@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Compiled);
    private static readonly Regex VariableLike = new(@"(?<![A-Za-z0-9_{])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![A-Za-z0-9_])", RegexOptions.Compiled);

    [Fact]
    public void The_test_suites_isolate_exactly_the_catalogue()
    {
        Assert.Equal(EnvironmentVariables.All.OrderBy(n => n, StringComparer.Ordinal), ModuleEnvironment.Variables.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(ModuleEnvironment.Variables.Count, ModuleEnvironment.Variables.Distinct().Count());
    }

    [Fact]
    public void Secrets_and_credentials_are_part_of_every_variable()
    {
        Assert.Empty(EnvironmentVariables.Secrets.Except(EnvironmentVariables.Credentials));
        Assert.Empty(EnvironmentVariables.Credentials.Except(EnvironmentVariables.All));
    }

    [Fact]
    public void Every_variable_the_catalogue_declares_is_in_its_All_list()
    {
        var declared = typeof(EnvironmentVariables).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(declared.OrderBy(n => n, StringComparer.Ordinal), EnvironmentVariables.All.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void The_module_source_names_no_environment_variable_outside_the_catalogue()
    {
        var files = SourceRoots.SelectMany(root => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, root), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => !f.Replace('\\', '/').EndsWith(CatalogueFile, StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, "The module's source was not found under " + RepoPaths.Root);
        var found = files.SelectMany(f => Offences(File.ReadAllText(f)).Select(o => $"{Path.GetRelativePath(RepoPaths.Root, f)}: {o}")).ToList();
        Assert.True(found.Count == 0, "Name these through NaraAuth.Core.Config.EnvironmentVariables:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_a_variable_written_as_text()
    {
        Assert.Equal(new[] { "NEW_SETTING" }, Offences("var x = env.GetVariable(\"NEW_SETTING\");"));
        Assert.Equal(new[] { "HOME" }, Offences("var home = env.GetVariable(\"HOME\");"));
        Assert.Equal(new[] { "AUTH_TOKEN_PATH" }, Offences("throw Fail(\"Set AUTH_TOKEN_PATH to the file.\");"));
        Assert.Equal(new[] { "EP_BASE_URL" }, Offences("throw Fail($\"For example: $env:EP_BASE_URL = '{url}'\");"));
        Assert.Empty(Offences("throw Fail($\"Set {EnvironmentVariables.AuthTokenPath} to the file.\");"));
        Assert.Empty(Offences("// AUTH_TOKEN_PATH, in a comment, is documentation\n/// <summary>NARA_TOKEN.</summary>"));
        Assert.Empty(Offences("if (dacl.StartsWith(\"NO_ACCESS_CONTROL\", StringComparison.Ordinal))"));
        Assert.Empty(Offences("return $\"this is a CI job\";"));
    }

    /// <summary>
    /// Names in string literals (comments are documentation) that look like an environment
    /// variable: NAME_WITH_PARTS anywhere in the text, or a whole literal that is one of the
    /// catalogue's single-word names (HOME, CI, PATH...).
    /// </summary>
    private static IEnumerable<string> Offences(string source)
    {
        var singleWords = new HashSet<string>(EnvironmentVariables.All.Where(n => !n.Contains('_')), StringComparer.Ordinal);
        foreach (var line in source.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("*", StringComparison.Ordinal)) continue;
            foreach (Match literal in StringLiteral.Matches(line))
            {
                var text = literal.Value;
                var content = text.TrimStart('$', '@').Trim('"');
                if (singleWords.Contains(content)) yield return content;
                foreach (Match name in VariableLike.Matches(text))
                    if (!NotVariables.Contains(name.Value)) yield return name.Value;
            }
        }
    }
}
