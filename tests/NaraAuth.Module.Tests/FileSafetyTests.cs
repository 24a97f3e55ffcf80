using System.Management.Automation;
using System.Text;
using NaraAuth.Module.Tests.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>
/// The hostile-path and hostile-local-user promises from the PowerShell side: no folder is
/// weakened, no unrelated file is replaced, nothing but a regular file is read, every file kind is
/// read in the encodings Windows PowerShell writes, and a readable credential file is called out
/// whenever it is used.
/// </summary>
public class FileSafetyTests : IClassFixture<EmulatorFixture>
{
    private const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Shared775 = Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private readonly EmulatorFixture _emulator;

    public FileSafetyTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    private static void RequireUnix() => Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix modes, devices and FIFOs; the Windows ACL rule is proven in the Core tests.");

    private const string Connect = "Connect-EdgeConnector -Token $args[0] -TokenPath $args[1] -BaseUrl $args[2] -SkipBundleSync";

    [Fact]
    public void Connect_does_not_replace_an_unrelated_file_given_as_the_token_path_unless_Force()
    {
        using var session = new PsSession();
        var notes = Path.Combine(session.WorkDir, "notes.txt");
        File.WriteAllText(notes, "my meeting notes");
        var jwt = _emulator.State.MintToken();

        var refused = session.Run(Connect, jwt, notes, _emulator.BaseUrl);
        var error = refused.AssertError("SecureStoreTargetUnrecognized", ErrorCategory.ResourceExists);
        Assert.Contains("-Force", error.ErrorDetails.RecommendedAction);
        Assert.Equal("my meeting notes", File.ReadAllText(notes));
        Assert.Equal(new[] { PsSession.InstallationConfigName, "notes.txt" }, Directory.GetFiles(session.WorkDir).Select(Path.GetFileName).Order());
        refused.AssertNoSecret(jwt);

        var forced = session.Run(Connect + " -Force", jwt, notes, _emulator.BaseUrl);
        Assert.Equal("Connected", (string)((dynamic)forced.Single<object>()).Status.ToString());
        Assert.Equal(jwt, TokenIn(notes));
    }

    [Fact]
    public void A_token_path_in_config_json_that_names_another_file_is_not_written_over()
    {
        using var session = new PsSession();
        var victim = Path.Combine(session.TempDir, "victim.conf");
        File.WriteAllText(victim, "[server]\nport = 8080\n");
        var inside = Path.Combine(session.WorkDir, "notes.conf");
        File.WriteAllText(inside, "[server]\nport = 8080\n");

        // Outside the installation: refused before anything is read or written.
        File.WriteAllText(Path.Combine(session.WorkDir, "config.json"), "{\"authTokenPath\": \"../victim.conf\"}");
        var outside = session.Run("Connect-EdgeConnector -Token $args[0] -BaseUrl $args[1] -SkipBundleSync", _emulator.State.MintToken(), _emulator.BaseUrl);
        outside.AssertError("ConfigFileTokenPathOutside", ErrorCategory.SecurityError);
        Assert.Equal("[server]\nport = 8080\n", File.ReadAllText(victim));

        // Inside it but not a token file: kept unless -Force.
        File.WriteAllText(Path.Combine(session.WorkDir, "config.json"), "{\"authTokenPath\": \"notes.conf\"}");
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -BaseUrl $args[1] -SkipBundleSync", _emulator.State.MintToken(), _emulator.BaseUrl);
        result.AssertError("SecureStoreTargetUnrecognized", ErrorCategory.ResourceExists);
        Assert.Equal("[server]\nport = 8080\n", File.ReadAllText(inside));
    }

    [Fact]
    public void SaveCredentialsTo_an_unrelated_file_is_refused_unless_Force()
    {
        using var session = new PsSession();
        var notes = Path.Combine(session.WorkDir, "notes.txt");
        File.WriteAllText(notes, "my notes");
        session.SetEnv("DEPLOYMENT_ID", "dep_abc123");
        session.SetEnv("DEPLOYMENT_SECRET", "sec_xyz789");
        const string script = "Connect-EdgeConnector -Deployment -SaveCredentialsTo $args[0] -BaseUrl $args[1]";
        var refused = session.Run(script, notes, _emulator.BaseUrl);
        refused.AssertError("SecureStoreTargetUnrecognized", ErrorCategory.ResourceExists);
        Assert.Equal("my notes", File.ReadAllText(notes));
        refused.AssertNoSecret("sec_xyz789");

        var forced = session.Run(script + " -Force", notes, _emulator.BaseUrl);
        Assert.Equal("Verified", (string)((dynamic)forced.Single<object>()).Status.ToString());
        Assert.Contains("sec_xyz789", File.ReadAllText(notes));
        forced.AssertNoSecret("sec_xyz789");
    }

    [Fact]
    public void Dev_null_as_AUTH_TOKEN_PATH_is_refused_and_dev_keeps_its_mode()
    {
        RequireUnix();
        using var session = new PsSession();
        var before = File.GetUnixFileMode("/dev");
        session.SetEnv("AUTH_TOKEN_PATH", "/dev/null");
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -BaseUrl $args[1] -SkipBundleSync", _emulator.State.MintToken(), _emulator.BaseUrl);
        result.AssertError("SecureStoreTargetNotAFile", ErrorCategory.InvalidArgument);
        Assert.Equal(before, File.GetUnixFileMode("/dev"));
    }

    [Fact]
    public void A_shared_0775_install_folder_is_refused_and_left_as_it_was()
    {
        RequireUnix();
        using var session = new PsSession();
        var shared = Path.Combine(session.TempDir, "team-project");
        Directory.CreateDirectory(shared);
        File.WriteAllText(Path.Combine(shared, "README.md"), "shared");
        File.SetUnixFileMode(shared, Shared775);
        var jwt = _emulator.State.MintToken();
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -InstallPath $args[1] -BaseUrl $args[2] -SkipBundleSync", jwt, shared, _emulator.BaseUrl);
        var error = result.AssertError("SecureStoreFolderUnsafe", ErrorCategory.SecurityError);
        Assert.Contains("775", error.Exception.Message);
        Assert.Equal(Shared775, File.GetUnixFileMode(shared));
        Assert.Equal(new[] { "README.md" }, Directory.GetFiles(shared).Select(Path.GetFileName));
        result.AssertNoSecret(jwt);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    public void Get_AuthToken_refuses_a_device_or_FIFO_at_once(string target)
    {
        RequireUnix();
        using var session = new PsSession();
        var path = target;
        if (target == "fifo")
        {
            path = Path.Combine(session.WorkDir, "auth-token.json");
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)!;
            mkfifo.WaitForExit(10_000);
        }
        session.SetEnv("AUTH_TOKEN_PATH", path);
        using var running = session.Start("Get-AuthToken");
        var result = running.Finish(TimeSpan.FromSeconds(10));
        result.AssertError("TokenFileNotAFile", ErrorCategory.InvalidType);
    }

    [Fact]
    public void Get_AuthToken_Worker_refuses_dev_zero_as_the_config_file()
    {
        RequireUnix();
        using var session = new PsSession();
        session.SetEnv("NODETOOL_CONFIG_PATH", "/dev/zero");
        using var running = session.Start("Get-AuthToken -Worker");
        running.Finish(TimeSpan.FromSeconds(10)).AssertError("WorkerConfigNotAFile", ErrorCategory.InvalidType);
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("unicode")]
    [InlineData("bigendianunicode")]
    public void A_token_file_written_by_Windows_PowerShell_is_read(string encoding)
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var json = "{\"token\": \"" + jwt + "\", \"savedAt\": \"2025-01-15T10:30:00.000Z\"}\r\n";
        Encoding enc = encoding switch
        {
            "utf-8-bom" => new UTF8Encoding(true),
            "unicode" => new UnicodeEncoding(false, true),
            _ => new UnicodeEncoding(true, true),
        };
        var path = Path.Combine(session.WorkDir, "auth-token.json");
        File.WriteAllBytes(path, enc.GetPreamble().Concat(enc.GetBytes(json)).ToArray());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, PrivateFile);
        Assert.Equal(jwt, session.Run("(Get-AuthToken -AsPlainText).Token").Single<string>());
    }

    [Fact]
    public void A_token_file_others_can_read_is_warned_about_by_every_cmdlet_that_sends_it()
    {
        RequireUnix();
        using var session = new PsSession();
        var path = WriteTokenFile(Path.Combine(session.WorkDir, "auth-token.json"), _emulator.State.MintToken(lifetime: TimeSpan.FromHours(4)));
        File.SetUnixFileMode(path, PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);

        var rest = session.Run("Invoke-NaraRestMethod /api/me/organizations");
        Assert.Null(rest.Error);
        Assert.Contains(rest.Warnings, w => w.Message.Contains(path) && w.Message.Contains("chmod 600"));

        var agents = session.Run("Get-NaraAgent");
        Assert.Contains(agents.Warnings, w => w.Message.Contains("chmod 600"));

        // The browser mode keeps a good stored token: reusing it is using it.
        var reuse = session.Run("Connect-EdgeConnector");
        Assert.Equal("AlreadyConnected", (string)((dynamic)reuse.Single<object>()).Status.ToString());
        Assert.Contains(reuse.Warnings, w => w.Message.Contains("chmod 600"));
    }

    [Fact]
    public void A_deployment_credentials_file_others_can_read_is_warned_about_when_used()
    {
        RequireUnix();
        using var session = new PsSession();
        var path = Path.Combine(session.WorkDir, "credentials.json");
        File.WriteAllText(path, "{\"deploymentId\": \"dep_abc123\", \"deploymentSecret\": \"sec_xyz789\"}");
        File.SetUnixFileMode(path, PrivateFile | UnixFileMode.OtherRead);
        session.SetEnv("DEPLOYMENT_CREDENTIALS_PATH", path);
        var result = session.Run("Connect-EdgeConnector -Deployment -BaseUrl $args[0]", _emulator.BaseUrl);
        Assert.Equal("Verified", (string)((dynamic)result.Single<object>()).Status.ToString());
        Assert.Contains(result.Warnings, w => w.Message.Contains(path) && w.Message.Contains("chmod 600"));
        result.AssertNoSecret("sec_xyz789");
    }
}
