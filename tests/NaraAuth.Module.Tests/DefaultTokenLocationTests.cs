using NaraAuth.Module.Tests.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>
/// Where the Edge Connector token goes when nothing names a place: the owner-only per-user folder,
/// said on the verbose stream; the current folder is never an installation, even with a config.json.
/// </summary>
public class DefaultTokenLocationTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public DefaultTokenLocationTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    private static string UserFolder(PsSession session) => Path.Combine(session.Home, ".config", "naraauth", "edge-connector");

    [Fact]
    public void From_a_folder_that_is_no_installation_the_token_and_bundle_go_to_the_per_user_folder_and_the_cmdlet_says_so()
    {
        using var session = new PsSession(installationFolder: false);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken(subject: "user_7");

        var result = session.Run("Connect-EdgeConnector -Token $args[0]", jwt);

        dynamic c = result.Single<object>();
        var token = Path.Combine(UserFolder(session), "auth-token.json");
        var bundle = Path.Combine(UserFolder(session), "default-bundle.json");
        Assert.Equal(token, (string)c.TokenPath);
        Assert.Equal(bundle, (string)c.BundlePath);
        Assert.Equal(jwt, TokenIn(token));
        AssertPrivate(token);
        AssertPrivate(bundle);
        UnixModes.AssertMode(PrivateFolder, Path.GetDirectoryName(UserFolder(session))!);
        Assert.Empty(Directory.GetFileSystemEntries(session.WorkDir));
        // Said once, on the verbose stream, not to the person on every connect.
        Assert.Contains(result.Verbose, v => v.Message.Contains("No installation was named") && v.Message.Contains(token));
        Assert.DoesNotContain(result.Information, i => i.MessageData.ToString()!.Contains("per-user"));
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Get_AuthToken_and_Disconnect_from_any_other_plain_folder_find_the_per_user_token()
    {
        using var session = new PsSession(installationFolder: false);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken(subject: "user_7");
        Assert.Null(session.Run("Connect-EdgeConnector -Token $args[0] -SkipBundleSync", jwt).Error);
        var elsewhere = Path.Combine(session.TempDir, "another-project");
        Directory.CreateDirectory(elsewhere);

        session.Runspace.SessionStateProxy.Path.SetLocation(elsewhere);
        var read = session.Run("Get-AuthToken");
        dynamic info = read.Single<object>();
        var token = Path.Combine(UserFolder(session), "auth-token.json");
        Assert.Equal(token, (string)info.Path);
        Assert.Equal("UserFolder", info.Source.ToString());
        Assert.Equal("user_7", (string)info.Subject);
        Assert.Contains(read.Verbose, v => v.Message.Contains("No installation was named") && v.Message.Contains(token));

        var removed = session.Run("Disconnect-EdgeConnector -PassThru -Confirm:$false");
        Assert.Equal("Disconnected", ((dynamic)removed.Single<object>()).Status.ToString());
        Assert.False(File.Exists(token));
        read.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_config_json_in_the_current_folder_does_not_make_it_an_installation()
    {
        // A cloned repository or an unpacked archive: its config.json names a file in the folder.
        using var session = new PsSession(installationFolder: false);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        File.WriteAllText(Path.Combine(session.WorkDir, "config.json"), "{\"authTokenPath\": \"planted.json\"}");
        var jwt = _emulator.State.MintToken();

        var result = session.Run("Connect-EdgeConnector -Token $args[0] -SkipBundleSync -Verbose; Get-AuthToken", jwt);

        var token = Path.Combine(UserFolder(session), "auth-token.json");
        Assert.Equal(token, (string)((dynamic)result.Output[0]).TokenPath);
        Assert.Equal("UserFolder", ((dynamic)result.Output[1]).Source.ToString());
        Assert.Equal(new[] { "config.json" }, Directory.GetFiles(session.WorkDir).Select(Path.GetFileName).ToArray());
        Assert.Contains(result.Verbose, v => v.Message.Contains("No installation was named"));
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void From_an_installation_named_by_EDGE_CONNECTOR_HOME_the_token_stays_in_that_folder()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken();

        var result = session.Run("Connect-EdgeConnector -Token $args[0] -SkipBundleSync; Get-AuthToken", jwt);

        var token = Path.Combine(session.WorkDir, "auth-token.json");
        Assert.Equal(token, (string)((dynamic)result.Output[0]).TokenPath);
        Assert.Equal("EdgeConnectorHome", ((dynamic)result.Output[1]).Source.ToString());
        AssertPrivate(token);
        Assert.False(Directory.Exists(UserFolder(session)));
        Assert.DoesNotContain("per-user", result.HostText);
        result.AssertNoSecret(jwt);
    }
}
