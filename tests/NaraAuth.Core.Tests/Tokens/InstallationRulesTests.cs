using System.Text;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.Tests.Tokens;

/// <summary>
/// The rules of docs/decisions/installation-trust.md on synthetic data, on every OS: where a
/// stored login may be sent, which authTokenPath stays inside its installation, which
/// config.json owner and rights are trusted (Unix modes and Windows SDDL).
/// </summary>
public class InstallationRulesTests
{
    private static PlatformTarget Target(string url, PlatformUrlSource source) => new(new Uri(url), source);

    [Fact]
    public void A_stored_login_goes_only_to_the_origin_it_was_saved_for()
    {
        var file = new TokenFile("header.payload.signature", DateTimeOffset.UtcNow, "https://app.nara.de");
        Assert.Null(StoredLoginDestination.Problem(file, Target("https://app.nara.de/", PlatformUrlSource.Default)));
        Assert.Null(StoredLoginDestination.Problem(file, Target("https://APP.nara.de:443/api", PlatformUrlSource.ConfigFile)));
        var elsewhere = StoredLoginDestination.Problem(file, Target("https://evil.example", PlatformUrlSource.Parameter));
        Assert.Contains("https://app.nara.de", elsewhere);
        Assert.Contains("https://evil.example", elsewhere);
        Assert.Contains("-BaseUrl", elsewhere);
        Assert.NotNull(StoredLoginDestination.Problem(file, Target("https://app.nara.de:8443", PlatformUrlSource.EnvironmentVariable)));
        Assert.NotNull(StoredLoginDestination.Problem(file, Target("http://app.nara.de", PlatformUrlSource.Parameter)));

        var error = Assert.Throws<NaraAuthException>(() => StoredLoginDestination.Check(file, "/x/auth-token.json", Target("https://evil.example", PlatformUrlSource.ConfigFile)));
        Assert.Equal(StoredLoginDestination.ErrorId, error.ErrorId);
        Assert.Equal(NaraErrorCategory.SecurityError, error.Category);
        Assert.DoesNotContain("header.payload.signature", error.Message + error.RecommendedAction);
    }

    [Theory]
    [InlineData(PlatformUrlSource.Parameter, true)]
    [InlineData(PlatformUrlSource.EnvironmentVariable, true)]
    [InlineData(PlatformUrlSource.Default, true)]
    [InlineData(PlatformUrlSource.ConfigFile, false)]
    public void A_legacy_token_file_goes_only_to_a_platform_the_invoker_named(PlatformUrlSource source, bool allowed)
    {
        var legacy = new TokenFile("header.payload.signature", DateTimeOffset.UtcNow);
        Assert.Equal(allowed, StoredLoginDestination.Problem(legacy, Target("https://p.example", source)) == null);
    }

    [Fact]
    public void The_token_file_keeps_the_platform_origin_and_reads_files_without_it()
    {
        var written = new TokenFile("header.payload.signature", DateTimeOffset.UtcNow, "http://127.0.0.1:5000").Serialize();
        Assert.Contains("\"platformUrl\": \"http://127.0.0.1:5000\"", Encoding.UTF8.GetString(written));
        Assert.Equal("http://127.0.0.1:5000", TokenFile.Parse(written, "t.json").PlatformUrl);
        Assert.Equal("https://p.example", TokenFile.Parse(Encoding.UTF8.GetBytes("{\"token\":\"a.b.c\",\"platformUrl\":\"https://p.example/some/path\"}"), "t.json").PlatformUrl);
        Assert.Null(TokenFile.Parse(Encoding.UTF8.GetBytes("{\"token\":\"a.b.c\"}"), "t.json").PlatformUrl);
        var bad = Assert.Throws<NaraAuthException>(() => TokenFile.Parse(Encoding.UTF8.GetBytes("{\"token\":\"a.b.c\",\"platformUrl\":\"file:///etc\"}"), "t.json"));
        Assert.Equal("TokenFileMissingToken", bad.ErrorId);
    }

    [Theory]
    [InlineData("../victim.json")]
    [InlineData("sub/../../victim.json")]
    [InlineData("/etc/ld.so.preload")]
    public void An_authTokenPath_that_leaves_the_installation_is_refused(string authTokenPath)
    {
        using var dir = new TempDir();
        var install = dir.Combine("install");
        Directory.CreateDirectory(install);
        var error = Assert.Throws<NaraAuthException>(() => TokenLocation.InsideInstallation(install, authTokenPath, Path.Combine(install, "config.json")));
        Assert.Equal(TokenLocation.TokenPathOutsideErrorId, error.ErrorId);
        Assert.Equal(NaraErrorCategory.SecurityError, error.Category);
        Assert.Contains(authTokenPath, error.Message);
        Assert.Contains("-Path", error.RecommendedAction);
    }

    [Fact]
    public void An_authTokenPath_inside_the_installation_is_used_but_not_through_a_link()
    {
        using var dir = new TempDir();
        var install = dir.Combine("install");
        Directory.CreateDirectory(Path.Combine(install, "secrets"));
        var config = Path.Combine(install, "config.json");
        Assert.Equal(Path.Combine(install, "secrets", "t.json"), TokenLocation.InsideInstallation(install, "secrets/t.json", config));
        Assert.Equal(Path.Combine(install, "t.json"), TokenLocation.InsideInstallation(install, Path.Combine(install, "t.json"), config));

        Directory.CreateDirectory(dir.Combine("elsewhere"));
        Directory.CreateSymbolicLink(Path.Combine(install, "out"), dir.Combine("elsewhere"));
        var throughLink = Assert.Throws<NaraAuthException>(() => TokenLocation.InsideInstallation(install, "out/t.json", config));
        Assert.Equal(TokenLocation.TokenPathOutsideErrorId, throughLink.ErrorId);
        File.CreateSymbolicLink(Path.Combine(install, "t2.json"), dir.Combine("elsewhere", "t.json"));
        Assert.Throws<NaraAuthException>(() => TokenLocation.InsideInstallation(install, "t2.json", config));
    }

    [Theory]
    [InlineData(1000u, 0x1A4, 1000u, true)]  // the invoker's, 0644
    [InlineData(0u, 0x1A4, 1000u, true)]     // root's, 0644
    [InlineData(1001u, 0x1A4, 1000u, false)] // the runtime account's
    [InlineData(1001u, 0x1A4, 0u, false)]    // another user's, read by root
    [InlineData(0u, 0x1B4, 1000u, false)]    // root's but group-writable (0664)
    [InlineData(1000u, 0x1A6, 1000u, false)] // the invoker's but world-writable (0646)
    public void A_config_json_is_trusted_only_when_the_invoker_or_root_owns_it_and_nobody_else_may_write(uint owner, int permissions, uint me, bool trusted)
    {
        var status = new UnixFileStatus(UnixFileStatus.TypeRegular | permissions, owner, 10);
        Assert.Equal(trusted, InstallationConfig.JudgeUnixFile("/opt/edge/config.json", status, me) == null);
    }

    [Theory]
    [InlineData("O:S-1-5-21-1-2-3-1000D:P(A;;FA;;;S-1-5-21-1-2-3-1000)(A;;FR;;;BU)", true)]
    [InlineData("O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)(A;;0x1200a9;;;BU)", true)]
    [InlineData("O:S-1-5-21-1-2-3-2000D:P(A;;FA;;;S-1-5-21-1-2-3-2000)", false)]      // the service account owns it
    [InlineData("O:BAD:(A;;FA;;;BA)(A;;FW;;;S-1-5-21-1-2-3-2000)", false)]            // the service account may write it
    [InlineData("O:BAD:(A;;FA;;;BA)(A;ID;0x1301bf;;;AU)", false)]                     // Authenticated Users: Modify, inherited
    [InlineData("O:BAD:NO_ACCESS_CONTROL", false)]
    [InlineData("O:BAD:(A;OICIIO;FA;;;S-1-5-21-1-2-3-2000)(A;;FA;;;BA)", true)]      // inherit-only: not the file itself
    public void On_Windows_a_config_json_is_trusted_only_when_no_other_account_may_change_it(string sddl, bool trusted)
    {
        Assert.Equal(trusted, WindowsFolderAcl.SettingsFileProblem(@"C:\EdgeConnector\config.json", sddl, "S-1-5-21-1-2-3-1000") == null);
    }
}
