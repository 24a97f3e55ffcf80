using System.Management.Automation;
using NaraAuth.TestSupport.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>Disconnect-EdgeConnector after a real Connect-EdgeConnector -Token against the emulator.</summary>
public class DisconnectEdgeConnectorTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public DisconnectEdgeConnectorTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    /// <summary>Connects in <paramref name="folder"/> (an installation directory with a config.json and a log) and returns the token.</summary>
    private string Connect(PsSession session, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), "{\"platformUrl\": \"" + _emulator.BaseUrl + "\"}");
        File.WriteAllText(Path.Combine(folder, "connector.log"), "started\n");
        var jwt = _emulator.State.MintToken(lifetime: TimeSpan.FromHours(4));
        var connected = session.Run("Connect-EdgeConnector -Token $args[0] -InstallPath $args[1]", jwt, folder);
        Assert.Equal("Connected", ((dynamic)connected.Single<object>()).Status.ToString());
        Assert.True(File.Exists(Path.Combine(folder, "auth-token.json")));
        Assert.True(File.Exists(Path.Combine(folder, "default-bundle.json")));
        connected.AssertNoSecret(jwt);
        return jwt;
    }

    [Fact]
    public void Removes_token_and_bundle_and_leaves_the_other_files_alone()
    {
        using var session = new PsSession();
        var folder = Path.Combine(session.TempDir, "ec");
        var jwt = Connect(session, folder);

        var result = session.Run("Disconnect-EdgeConnector -InstallPath $args[0] -PassThru", folder);
        dynamic d = result.Single<object>();
        Assert.Equal("NaraAuth.Models.EdgeConnectorDisconnection", ((object)d).GetType().FullName);
        Assert.Equal("Disconnected", (string)d.Status.ToString());
        Assert.True((bool)d.TokenRemoved);
        Assert.True((bool)d.BundleRemoved);
        Assert.Equal(2, ((string[])d.Removed).Length);
        Assert.False(File.Exists(Path.Combine(folder, "auth-token.json")));
        Assert.False(File.Exists(Path.Combine(folder, "default-bundle.json")));
        Assert.Equal(new[] { "config.json", "connector.log" }, Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToArray());
        Assert.Contains(result.Verbose, v => v.Message.Contains("Removed the token file"));
        result.AssertNoSecret(jwt);

        // Get-AuthToken now finds nothing, with its own error.
        var after = session.Run("Get-AuthToken -InstallPath $args[0]", folder);
        Assert.NotNull(after.Error);
    }

    [Fact]
    public void WhatIf_names_the_files_and_removes_nothing()
    {
        using var session = new PsSession();
        var jwt = Connect(session, session.WorkDir);
        var token = Path.Combine(session.WorkDir, "auth-token.json");
        var before = File.ReadAllBytes(token);

        var result = session.Run("Disconnect-EdgeConnector -WhatIf -PassThru");
        Assert.Equal("WhatIf", ((dynamic)result.Single<object>()).Status.ToString());
        Assert.Equal(before, File.ReadAllBytes(token));
        Assert.True(File.Exists(Path.Combine(session.WorkDir, "default-bundle.json")));
        Assert.Contains("What if:", result.HostText);
        Assert.Contains(token, result.HostText);
        Assert.Contains("default-bundle.json", result.HostText);
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Rerun_with_nothing_to_remove_is_not_an_error_and_without_PassThru_writes_no_output()
    {
        using var session = new PsSession();
        var jwt = Connect(session, session.WorkDir);
        var first = session.Run("Disconnect-EdgeConnector");
        Assert.Empty(first.Output);
        Assert.Null(first.Error);
        first.AssertNoSecret(jwt);

        var again = session.Run("Disconnect-EdgeConnector -PassThru");
        Assert.Null(again.Error);
        dynamic d = again.Single<object>();
        Assert.Equal("NotConnected", (string)d.Status.ToString());
        Assert.Empty((string[])d.Removed);
        Assert.Contains(again.Verbose, v => v.Message.Contains("Not connected"));
    }

    [Fact]
    public void Path_follows_AUTH_TOKEN_PATH_and_connect_output_pipes_in()
    {
        using var session = new PsSession();
        var target = Path.Combine(session.TempDir, "secure", "token.json");
        session.SetEnv("AUTH_TOKEN_PATH", target);
        var jwt = _emulator.State.MintToken();
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -BaseUrl $args[1] | Disconnect-EdgeConnector -PassThru", jwt, _emulator.BaseUrl);
        dynamic d = result.Single<object>();
        Assert.Equal(target, (string)d.TokenPath);
        Assert.True((bool)d.TokenRemoved);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(Path.Combine(session.TempDir, "secure", "default-bundle.json")));
        Assert.True(Directory.Exists(Path.Combine(session.TempDir, "secure")), "The private folder should stay.");
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Saved_deployment_credentials_are_removed_on_request()
    {
        using var session = new PsSession();
        var credentials = Path.Combine(session.TempDir, "etc", "deployment.json");
        var saved = session.Run("Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret ([System.Net.NetworkCredential]::new('', $args[2]).SecurePassword) -SaveCredentialsTo $args[0] -BaseUrl $args[1]", credentials, _emulator.BaseUrl, "sec_xyz789");
        Assert.Equal("Verified", ((dynamic)saved.Single<object>()).Status.ToString());
        AssertPrivate(credentials);

        var result = session.Run("Disconnect-EdgeConnector -DeploymentCredentialsPath $args[0] -PassThru", credentials);
        dynamic d = result.Single<object>();
        Assert.True((bool)d.CredentialsRemoved);
        Assert.False((bool)d.TokenRemoved);
        Assert.False(File.Exists(credentials));
        result.AssertNoSecret("sec_xyz789");
    }

    [Fact]
    public void A_file_that_is_not_a_token_file_is_kept_unless_Force()
    {
        using var session = new PsSession();
        var notes = Path.Combine(session.WorkDir, "notes.txt");
        File.WriteAllText(notes, "my notes");
        var refused = session.Run("Disconnect-EdgeConnector -Path notes.txt");
        refused.AssertError("LogoutFileUnrecognized", ErrorCategory.InvalidData);
        Assert.Equal("my notes", File.ReadAllText(notes));

        var forced = session.Run("Disconnect-EdgeConnector -Path notes.txt -Force -PassThru");
        Assert.Equal("Disconnected", ((dynamic)forced.Single<object>()).Status.ToString());
        Assert.False(File.Exists(notes));
    }
}
