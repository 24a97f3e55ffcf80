using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// One output vocabulary: -AsPlainText gives a plain-text twin of the same type, no property is
/// typed object to hold either a SecureString or a string, and every time carries its zone.
/// </summary>
public class OutputShapeTests : IClassFixture<EmulatorFixture>
{
    private const string ViewTime = @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d";
    private readonly EmulatorFixture _emulator;

    public OutputShapeTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static string WriteTokenFile(PsSession session, string jwt) =>
        EdgeConnectorTestKit.WriteTokenFile(Path.Combine(session.WorkDir, "auth-token.json"), jwt);

    [Fact]
    public void Every_AsPlainText_cmdlet_declares_a_plain_text_twin_of_each_output_type()
    {
        using var session = new PsSession();
        // For each cmdlet with -AsPlainText: its NaraAuth output types, paired up by name.
        var declared = session.Run(
            "Get-Command -Module NaraAuth | Where-Object { $_.Parameters.ContainsKey('AsPlainText') } | ForEach-Object { " +
            "$n = $_.Name; $_.OutputType.Type | Where-Object { $_.Namespace -eq 'NaraAuth.Models' } | ForEach-Object { $n + '|' + $_.FullName } }")
            .Output.Select(o => o.ToString().Split('|')).ToList();
        var cmdlets = declared.Select(d => d[0]).Distinct().ToList();
        Assert.Equal(new[] { "Get-AuthToken", "Invoke-OidcCliLogin", "New-ApiKey", "New-ServerToken", "Reset-ServerToken", "Reset-WorkerToken" }, cmdlets.OrderBy(c => c));
        foreach (var cmdlet in cmdlets)
        {
            var types = declared.Where(d => d[0] == cmdlet).Select(d => d[1]).ToHashSet();
            foreach (var secure in types.Where(t => !t.Contains("PlainText")))
            {
                var twin = Regex.Replace(secure, "(Info|Result)$", "PlainText$1");
                Assert.True(types.Contains(twin), $"{cmdlet} declares {secure} but not its twin {twin}");
                // The twin has exactly the same properties; only the secret ones change to string.
                var shape = session.Run(
                    "foreach ($name in $args) { $t = [type]$name; ($t.GetProperties() | ForEach-Object { $_.Name + ':' + $_.PropertyType.Name }) -join ',' }",
                    secure, twin);
                Assert.True(shape.Errors.Count == 0 && shape.Terminating == null, string.Join("; ", shape.Errors) + shape.Terminating?.Message);
                var pairs = shape.Output.Select(o => o.ToString()).ToList();
                Assert.Equal(2, pairs.Count);
                var securePairs = pairs[0].Split(',').OrderBy(p => p, StringComparer.Ordinal).ToArray();
                var plainPairs = pairs[1].Split(',').OrderBy(p => p, StringComparer.Ordinal).ToArray();
                Assert.Equal(securePairs.Select(p => p.Split(':')[0]), plainPairs.Select(p => p.Split(':')[0]));
                var changed = securePairs.Zip(plainPairs).Where(p => p.First != p.Second).ToList();
                Assert.NotEmpty(changed);
                Assert.All(changed, p =>
                {
                    Assert.EndsWith(":SecureString", p.First);
                    Assert.EndsWith(":String", p.Second);
                });
            }
        }
    }

    [Fact]
    public void No_output_property_is_typed_object_or_DateTime()
    {
        using var session = new PsSession();
        var offenders = session.Run(
            "foreach ($t in [NaraAuth.Models.AuthTokenInfo].Assembly.GetExportedTypes()) { if ($t.Namespace -ne 'NaraAuth.Models' -or $t.IsEnum) { continue }; " +
            "foreach ($p in $t.GetProperties()) { $type = [Nullable]::GetUnderlyingType($p.PropertyType); if (-not $type) { $type = $p.PropertyType }; " +
            "if ($type -eq [object] -or $type -eq [datetime]) { $t.Name + '.' + $p.Name } } }")
            .Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
        // A run's result is the agent's own JSON, whose shape the module does not define.
        Assert.Equal(new[] { "NaraAgentRunResult.Response", "NaraAgentRunResult.Result" }, offenders);
    }

    [Fact]
    public void Get_AuthToken_AsPlainText_is_the_same_object_with_the_token_as_a_string()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var path = WriteTokenFile(session, jwt);
        var secure = session.Run("Get-AuthToken -Path $args[0]", path).Single<object>();
        var plain = session.Run("Get-AuthToken -Path $args[0] -AsPlainText", path);
        dynamic info = plain.Single<object>();
        Assert.Equal("NaraAuth.Models.AuthTokenPlainTextInfo", ((object)info).GetType().FullName);
        Assert.Equal(jwt, (string)info.Token);
        Assert.Equal((DateTimeOffset?)((dynamic)secure).ExpiresOn, (DateTimeOffset?)info.ExpiresOn);
        // The twin shares the view, which never shows the token.
        var shown = session.Run("Get-AuthToken -Path $args[0] -AsPlainText | Out-String", path).Single<string>();
        Assert.Contains("ada@example.com", shown);
        Assert.DoesNotContain(jwt, shown);
    }

    [Fact]
    public void A_time_in_a_view_shows_its_offset_and_reads_back_as_the_same_instant()
    {
        using var session = new PsSession();
        // Expired two hours ago: whatever the machine's zone, the view must not make it look current.
        var jwt = _emulator.State.MintToken(lifetime: TimeSpan.FromHours(-2));
        var path = WriteTokenFile(session, jwt);
        var info = session.Run("Get-AuthToken -Path $args[0] -AllowExpired -WarningAction SilentlyContinue", path).Single<object>();
        var expiresOn = (DateTimeOffset)((dynamic)info).ExpiresOn;
        Assert.Equal(TimeSpan.Zero, expiresOn.Offset);
        var shown = session.Run("Get-AuthToken -Path $args[0] -AllowExpired -WarningAction SilentlyContinue | Out-String", path).Single<string>();
        var match = Regex.Match(shown, @"(?m)^ExpiresOn\s+:\s+(" + ViewTime + @")\s*$");
        Assert.True(match.Success, "ExpiresOn shows no offset:\n" + shown);
        var read = DateTimeOffset.ParseExact(match.Groups[1].Value, "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        Assert.Equal(expiresOn.ToUnixTimeSeconds(), read.ToUnixTimeSeconds());
        Assert.True(read < DateTimeOffset.UtcNow);
    }

    [Fact]
    public void A_server_token_table_shows_created_times_with_their_offset()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        session.SetEnv("NARA_TOKEN", _emulator.State.MintToken());
        session.Run("New-ServerToken -Name 'zone check' -Confirm:$false").Single<object>();
        var shown = session.Run("Get-ServerToken -Name 'zone check' | Out-String").Single<string>();
        Assert.Matches(@"zone check\s+" + ViewTime, shown);
    }

    [Fact]
    public void Every_time_in_every_view_uses_the_one_format_with_the_offset()
    {
        var views = Directory.GetFiles(RepoPaths.StagedModuleDirectory, "*.format.ps1xml").SelectMany(f => XDocument.Load(f).Descendants("View")).ToList();
        Assert.NotEmpty(views);
        var times = new Regex(@"(On|At)$");
        foreach (var view in views)
        {
            var name = view.Element("Name")?.Value;
            // A time shown by property name would use the session's culture and no offset.
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value.Trim()))
                Assert.False(times.IsMatch(property), $"view {name} shows the time {property} without the module's format");
            foreach (var script in view.Descendants("ScriptBlock").Select(s => s.Value))
            {
                foreach (Match format in Regex.Matches(script, @"ToString\('([^']*)'"))
                    Assert.Equal("yyyy-MM-dd HH:mm:ss zzz", format.Groups[1].Value);
            }
        }
    }
}
