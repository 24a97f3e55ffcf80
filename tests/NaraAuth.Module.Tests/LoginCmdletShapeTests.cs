using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// The login cmdlets bind parameters, call Core once and write the result (docs/architecture.md,
/// "Logins: one use case each"): each of their files stays small, and none of them sequences a
/// login itself.
/// </summary>
public class LoginCmdletShapeTests
{
    private const int MostLines = 180;

    private static IEnumerable<string> LoginCmdletFiles() =>
        new[] { "ConnectEdgeConnectorCommand", "InvokeOidcCliLoginCommand" }
            .SelectMany(name => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "NaraAuth", "Commands"), name + "*.cs"));

    [Fact]
    public void Each_file_of_a_login_cmdlet_holds_at_most_180_lines()
    {
        var files = LoginCmdletFiles().ToList();
        Assert.True(files.Count >= 4, "The login cmdlets' files were not found under " + RepoPaths.Root);
        var tooLong = files.Select(f => (File: Path.GetFileName(f), Lines: File.ReadAllLines(f).Length)).Where(f => f.Lines > MostLines).ToList();
        Assert.True(tooLong.Count == 0, "Move the sequence into the Core use case: " + string.Join(", ", tooLong.Select(f => $"{f.File} has {f.Lines} lines")));
    }

    [Fact]
    public void No_login_cmdlet_file_saves_validates_or_polls_itself()
    {
        // The steps of a login that belong to Core: a cmdlet naming them is sequencing a login.
        var steps = new[] { "SaveToken", "ValidateAsync(", "ValidateHandedOverAsync(", "WaitForTokenAsync(", "WaitForGrantAsync(", "InitiateAsync(", "ExchangeAsync(", "DownloadBundleAsync(", "FindReusableAsync(" };
        var found = LoginCmdletFiles()
            .SelectMany(f => steps.Where(step => File.ReadAllText(f).Contains(step, StringComparison.Ordinal)).Select(step => $"{Path.GetFileName(f)}: {step}"))
            .ToList();
        Assert.True(found.Count == 0, "Login steps in a cmdlet: " + string.Join(", ", found));
    }
}
