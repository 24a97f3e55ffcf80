using System.Text.RegularExpressions;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Tests.Errors;

/// <summary>
/// An error id the code decides on is a constant of <see cref="ErrorIds"/>, so the place that
/// throws and the place that catches cannot drift apart: the module's source compares no error id
/// with a string literal.
/// </summary>
public class ErrorIdConstantsTests
{
    private static readonly string[] SourceRoots = { "src/NaraAuth.Core", "src/NaraAuth" };

    internal static IEnumerable<string> Offences(string source) =>
        Regex.Matches(source, @"ErrorId\s*(?:==|!=|\bis\b)\s*""(\w+)""|""(\w+)""\s*(?:==|!=)\s*\w*\.?ErrorId\b")
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);

    [Fact]
    public void The_module_source_compares_no_error_id_with_a_literal()
    {
        var files = SourceRoots.SelectMany(root => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, root), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.True(files.Count > 100, "The module's source was not found under " + RepoPaths.Root);
        var found = files.SelectMany(f => Offences(File.ReadAllText(f)).Select(id => $"{Path.GetRelativePath(RepoPaths.Root, f)}: {id}")).ToList();
        Assert.True(found.Count == 0, "Name these through NaraAuth.Core.Errors.ErrorIds:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_an_error_id_compared_as_text()
    {
        Assert.Equal(new[] { "TokenExpired" }, Offences("catch (NaraAuthException e) when (e.ErrorId == \"TokenExpired\")"));
        Assert.Equal(new[] { "NotFound" }, Offences("if (error.ErrorId != \"NotFound\") throw;"));
        Assert.Equal(new[] { "Forbidden" }, Offences("if (\"Forbidden\" == e.ErrorId) return;"));
        Assert.Empty(Offences("catch (NaraAuthException e) when (e.ErrorId == ErrorIds.TokenExpired)"));
        Assert.Empty(Offences("throw new NaraAuthException(\"SomethingElse\", NaraErrorCategory.InvalidArgument, \"...\");"));
    }
}
