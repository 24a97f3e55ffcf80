using System.Management.Automation;
using System.Security;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>The NodeTool worker token (docs/protocol.md 3) through Get-AuthToken -Worker and Reset-WorkerToken.</summary>
public class WorkerTokenTests
{
    private const string OtherKeys = "# written by the worker\nserver:\n  port: 8000\n  host: 0.0.0.0\nmodels:\n  - llama3.2:latest\n";

    private static string DefaultPath(PsSession session) => Path.Combine(session.Home, ".config", "nodetool", "deployment.yaml");

    private static string WriteConfig(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private static string Plain(object secure) => new System.Net.NetworkCredential("", (SecureString)secure).Password;

    [Fact]
    public void Environment_wins_over_the_config_file()
    {
        using var session = new PsSession();
        WriteConfig(DefaultPath(session), "worker_auth_token: file-token-123\n");
        session.SetEnv("WORKER_AUTH_TOKEN", "env-token-456");
        var result = session.Run("Get-AuthToken -Worker");
        dynamic info = result.Single<object>();
        Assert.Equal("Environment", (string)info.Source.ToString());
        Assert.Equal("env-token-456", Plain(info.Token));
        result.AssertNoSecret("env-token-456");
        result.AssertNoSecret("file-token-123");
    }

    [Fact]
    public void The_config_file_token_is_read_and_the_file_left_untouched()
    {
        using var session = new PsSession();
        var path = WriteConfig(DefaultPath(session), OtherKeys + "worker_auth_token: file-token-123\n");
        var result = session.Run("Get-AuthToken -Worker");
        dynamic info = result.Single<object>();
        Assert.Equal("ConfigFile", (string)info.Source.ToString());
        Assert.Equal(path, (string)info.ConfigPath);
        Assert.Equal("file-token-123", Plain(info.Token));
        Assert.Equal(OtherKeys + "worker_auth_token: file-token-123\n", File.ReadAllText(path));
        result.AssertNoSecret("file-token-123");
        Assert.Equal("file-token-123", session.Run("(Get-AuthToken -Worker -AsPlainText).Token").Single<string>());
    }

    [Fact]
    public void NODETOOL_CONFIG_PATH_selects_the_file()
    {
        using var session = new PsSession();
        var path = WriteConfig(Path.Combine(session.TempDir, "custom", "deploy.yaml"), "worker_auth_token: custom-token-789\n");
        session.SetEnv("NODETOOL_CONFIG_PATH", path);
        var result = session.Run("Get-AuthToken -Worker");
        dynamic info = result.Single<object>();
        Assert.Equal(path, (string)info.ConfigPath);
        Assert.Equal("custom-token-789", Plain(info.Token));
        result.AssertNoSecret("custom-token-789");
    }

    [Fact]
    public void A_missing_token_is_an_error_naming_Reset_WorkerToken_and_nothing_is_written()
    {
        using var session = new PsSession();
        var result = session.Run("Get-AuthToken -Worker");
        var error = result.AssertError("WorkerTokenNotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains(DefaultPath(session), error.Exception.Message);
        Assert.Contains("Reset-WorkerToken", error.ErrorDetails.RecommendedAction);
        Assert.False(File.Exists(DefaultPath(session)));
    }

    [Fact]
    public void Reset_WorkerToken_generates_a_first_token_saved_0600_keeping_other_keys()
    {
        using var session = new PsSession();
        var path = WriteConfig(DefaultPath(session), OtherKeys);
        var result = session.Run("Reset-WorkerToken -Force");
        dynamic info = result.Single<object>();
        Assert.Null(info.PreviousToken);
        var token = Plain(info.Token);
        Assert.Equal(43, token.Length);
        Assert.Equal(OtherKeys + "worker_auth_token: " + token + "\n", File.ReadAllText(path));
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, path);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
        result.AssertNoSecret(token);

        // The next call reads it back from the file.
        dynamic again = session.Run("Get-AuthToken -Worker").Single<object>();
        Assert.Equal("ConfigFile", (string)again.Source.ToString());
        Assert.Equal(token, Plain(again.Token));
    }

    [Fact]
    public void Reset_WorkerToken_without_a_file_makes_a_private_folder_and_file()
    {
        using var session = new PsSession();
        var result = session.Run("(Reset-WorkerToken -Force -AsPlainText).Token");
        var token = result.Single<string>();
        var path = DefaultPath(session);
        Assert.Equal("worker_auth_token: " + token + "\n", File.ReadAllText(path));
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, path);
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Path.GetDirectoryName(path)!);
    }

    [Fact]
    public void A_first_token_under_WhatIf_writes_nothing()
    {
        using var session = new PsSession();
        var path = WriteConfig(DefaultPath(session), OtherKeys);
        var result = session.Run("Reset-WorkerToken -WhatIf");
        Assert.Empty(result.Output);
        Assert.Equal(OtherKeys, File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void Invalid_yaml_is_its_own_error_and_is_not_echoed_nor_overwritten()
    {
        using var session = new PsSession();
        const string broken = "worker_auth_token: \"secret-in-broken-file\nport: [8000\n";
        var path = WriteConfig(DefaultPath(session), broken);
        var result = session.Run("Reset-WorkerToken -Force");
        result.AssertError("WorkerConfigInvalid", ErrorCategory.InvalidData);
        result.AssertNoSecret("secret-in-broken-file");
        Assert.Equal(broken, File.ReadAllText(path));
    }

    [Fact]
    public void Reset_WorkerToken_saves_a_new_token_and_returns_the_previous_one()
    {
        using var session = new PsSession();
        var path = WriteConfig(DefaultPath(session), OtherKeys + "worker_auth_token: old-token-abc\n");
        var result = session.Run("Reset-WorkerToken");
        dynamic rotation = result.Single<object>();
        var newToken = Plain(rotation.Token);
        Assert.Equal("old-token-abc", Plain(rotation.PreviousToken));
        Assert.NotEqual("old-token-abc", newToken);
        Assert.Equal(path, (string)rotation.ConfigPath);
        Assert.False((bool)rotation.EnvironmentOverrides);
        Assert.Equal(OtherKeys + "worker_auth_token: " + newToken + "\n", File.ReadAllText(path));
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, path);
        result.AssertNoSecret(newToken);
        result.AssertNoSecret("old-token-abc");
        Assert.Equal(newToken, session.Run("(Get-AuthToken -Worker -AsPlainText).Token").Single<string>());
    }

    [Fact]
    public void Reset_WorkerToken_WhatIf_changes_nothing()
    {
        using var session = new PsSession();
        var path = WriteConfig(DefaultPath(session), "worker_auth_token: old-token-abc\n");
        var result = session.Run("Reset-WorkerToken -WhatIf");
        Assert.Empty(result.Output);
        Assert.Equal("worker_auth_token: old-token-abc\n", File.ReadAllText(path));
        result.AssertNoSecret("old-token-abc");
    }

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "Unix file modes; the Windows ACL check is covered by the Windows store tests")]
    public void Loose_permissions_on_the_config_file_produce_a_warning()
    {
        using var session = new PsSession();
        var path = WriteConfig(DefaultPath(session), "worker_auth_token: file-token-123\n");
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var result = session.Run("Get-AuthToken -Worker");
        Assert.Single(result.Output);
        Assert.Contains(result.Warnings, w => w.Message.Contains("chmod 600") && w.Message.Contains(path));
        result.AssertNoSecret("file-token-123");
    }

    [Fact]
    public void Reset_WorkerToken_without_a_file_creates_one_and_has_no_previous_token()
    {
        using var session = new PsSession();
        var result = session.Run("Reset-WorkerToken");
        dynamic rotation = result.Single<object>();
        Assert.Null((object?)rotation.PreviousToken);
        var token = Plain(rotation.Token);
        Assert.Equal("worker_auth_token: " + token + "\n", File.ReadAllText(DefaultPath(session)));
        result.AssertNoSecret(token);
    }

    [Fact]
    public void Reset_WorkerToken_warns_when_the_environment_overrides_the_file()
    {
        using var session = new PsSession();
        WriteConfig(DefaultPath(session), "worker_auth_token: old-token-abc\n");
        session.SetEnv("WORKER_AUTH_TOKEN", "env-token-456");
        session.SetEnv("TF_BUILD", "True");
        var result = session.Run("Reset-WorkerToken -AsPlainText");
        dynamic rotation = result.Single<object>();
        Assert.True((bool)rotation.EnvironmentOverrides);
        Assert.Equal("old-token-abc", (string)rotation.PreviousToken);
        Assert.Contains(result.Warnings, w => w.Message.Contains("WORKER_AUTH_TOKEN"));
        Assert.Contains("##vso[task.setsecret]" + (string)rotation.Token, result.HostText);
        Assert.Contains("##vso[task.setsecret]old-token-abc", result.HostText);
        result.AssertNoSecret("env-token-456");
    }

    [Fact]
    public void Get_AuthToken_only_reads_and_offers_network_parameters_only_where_it_sends_a_request()
    {
        using var session = new PsSession();
        var script = "$c = Get-Command $args[0]; foreach ($set in $c.ParameterSets) { $set.Name + '=' + ($set.Parameters.Name -join ',') }";
        var sets = session.Run(script, "Get-AuthToken").Output.Select(o => o.ToString()!.Split('=')).ToDictionary(p => p[0], p => p[1].Split(','));
        Assert.Equal(new[] { "EdgeConnector", "EdgePlane", "Worker" }, sets.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var set in sets.Values)
        {
            Assert.DoesNotContain("Create", set);
            Assert.DoesNotContain("WhatIf", set);
            Assert.DoesNotContain("Confirm", set);
        }
        foreach (var network in new[] { "Proxy", "ProxyCredential", "TimeoutSec" })
        {
            Assert.Contains(network, sets["EdgeConnector"]);
            Assert.DoesNotContain(network, sets["EdgePlane"]);
            Assert.DoesNotContain(network, sets["Worker"]);
        }
        var apiKey = session.Run(script, "Test-ApiKey").Output.Select(o => o.ToString()!.Split('=')).ToDictionary(p => p[0], p => p[1].Split(','));
        Assert.DoesNotContain("TimeoutSec", apiKey["Hash"]);
        Assert.DoesNotContain("Proxy", apiKey["Hash"]);
        Assert.Contains("TimeoutSec", apiKey["Live"]);
        Assert.Contains("Proxy", apiKey["Live"]);
        // A network parameter where no request is made is refused by the binder, not ignored.
        session.Run("Get-AuthToken -Worker -TimeoutSec 5").AssertError("AmbiguousParameterSet", ErrorCategory.InvalidArgument);
    }
}
