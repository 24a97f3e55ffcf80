using System.Management.Automation.Host;
using System.Text.RegularExpressions;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// The credential overview as a person reads it in an 80- and a 120-column console: who, until
/// when and which file, with no header broken into letters and no path cut.
/// </summary>
public class StatusViewWidthTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public StatusViewWidthTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static string Connect(PsSession session, EmulatorFixture emulator)
    {
        session.SetEnv("NARA_BASE_URL", emulator.BaseUrl);
        // Deeper than 80 columns, as an installation under Program Files or a long home often is.
        var path = Path.Combine(session.TempDir, "a-rather-long-installation-folder-name", "edge-connector", "credentials", "auth-token.json");
        var jwt = emulator.State.MintToken(subject: "user_7", lifetime: TimeSpan.FromHours(4));
        Assert.Null(session.Run("Connect-EdgeConnector -Token $args[0] -Path $args[1] -SkipBundleSync", jwt, path).Error);
        Assert.True(path.Length > 80, path);
        return path;
    }

    /// <summary>The text with the list view's wrapped continuation lines joined again.</summary>
    private static string Unwrapped(string text) => Regex.Replace(text, @"\r?\n {2,}", string.Empty);

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void The_default_view_answers_who_until_when_and_which_file_at_this_width(int width)
    {
        using var session = new PsSession();
        var path = Connect(session, _emulator);
        session.Host.UI.RawUI.BufferSize = new Size(width, 3000);
        session.Host.UI.RawUI.WindowSize = new Size(width, 50);

        foreach (var script in new[] { "Get-NaraAuthStatus -Path $args[0] -Kind EdgeConnectorToken | Out-String", $"Get-NaraAuthStatus -Path $args[0] -Kind EdgeConnectorToken | Out-String -Width {width}" })
        {
            var shown = session.Run(script, path).Single<string>();
            var lines = shown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            // Only the file's path may run past the width: it is shown whole, never cut.
            Assert.All(lines.Where(l => !l.StartsWith("Path ", StringComparison.Ordinal)), l => Assert.True(l.Length <= width, $"wider than {width}: {l}"));
            // No header or value broken one letter per line.
            Assert.DoesNotContain(lines, l => Regex.IsMatch(l, @"^\s*\S\s*$"));
            Assert.Contains(path, Unwrapped(shown));
            Assert.DoesNotContain("…", shown);
            Assert.Matches(@"(?m)^Email\s+: ada@example\.com\s*$", shown);
            Assert.Matches(@"(?m)^Subject\s+: user_7\s*$", shown);
            Assert.Matches(@"(?m)^ExpiresOn\s+: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\s*$", shown);
            Assert.Matches(@"(?m)^IsProtected\s+: True\s*$", shown);
        }
    }

    [Fact]
    public void The_table_view_for_Format_Table_shows_only_properties()
    {
        // Format-Table is not in the engine-hosted session; tests/pester/Status.Tests.ps1 runs it in real pwsh.
        var file = System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.StagedModuleDirectory, "NaraAuth.Status.format.ps1xml"));
        var table = file.Descendants("View").Single(v => v.Element("Name")!.Value == "NaraAuth.Models.CredentialStatusInfo.Table");
        var headers = table.Descendants("TableColumnHeader").Select(h => h.Element("Label")!.Value).ToList();
        Assert.Equal(new[] { "Kind", "State", "Subject", "ExpiresOn", "IsProtected", "Path" }, headers);
        using var session = new PsSession();
        var properties = session.Run("[NaraAuth.Models.CredentialStatusInfo].GetProperties().Name").Output.Select(o => o.ToString()).ToList();
        Assert.All(headers, h => Assert.Contains(h, properties));
        // The list view is the default: it comes first for the type.
        var first = file.Descendants("View").First(v => v.Descendants("TypeName").Any(t => t.Value == "NaraAuth.Models.CredentialStatusInfo"));
        Assert.NotNull(first.Element("ListControl"));
    }
}

/// <summary>Every row of the connect result's view is a property of the object, and it names the person.</summary>
public class ConnectionViewTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public ConnectionViewTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    [Fact]
    public void The_connect_result_shows_the_email_and_only_properties()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken(subject: "user_7");
        var shown = session.Run("Connect-EdgeConnector -Token $args[0] -SkipBundleSync | Out-String -Width 80", jwt).Single<string>();
        Assert.Matches(@"(?m)^Email\s+: ada@example\.com\s*$", shown);
        var properties = session.Run("[NaraAuth.Models.EdgeConnectorConnection].GetProperties().Name").Output.Select(o => o.ToString()).ToList();
        var labels = Regex.Matches(shown, @"(?m)^(\w+)\s+:").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(labels);
        Assert.All(labels, l => Assert.Contains(l, properties));
    }

    [Fact]
    public void New_ApiKey_says_where_the_plain_text_is_and_what_to_pass_for_a_snippet()
    {
        using var session = new PsSession();
        var plain = session.Run("New-ApiKey -AsPlainText | Out-String -Width 120").Single<string>();
        Assert.Matches(@"(?m)^ApiKey\s+: \(not shown: the plain text is in \$result\.ApiKey\)", plain);
        Assert.DoesNotContain("use -AsPlainText", plain);
        Assert.Matches(@"(?m)^ConfigSnippet\s+: \(none: pass -Id <name>", plain);
        var secure = session.Run("New-ApiKey | Out-String -Width 120").Single<string>();
        Assert.Contains("or use -AsPlainText", secure);
    }
}
