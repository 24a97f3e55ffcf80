using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Worker;

namespace NaraAuth.Core.Tests;

public class WorkerTokenStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naraauth-worker-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class Env : IEnvironment
    {
        public Dictionary<string, string> Variables { get; } = new();
        public string? GetVariable(string name) => Variables.TryGetValue(name, out var v) ? v : null;
        public string MachineName => "host";
        public string HomeDirectory { get; init; } = "/home/user";
        public string ConfigDirectory { get; init; } = "/home/user/.config";
        public bool IsWindows { get; init; }
    }

    private WorkerTokenStore Store(Env env) => new(env, new SecureFileStore(env), _dir);

    [Fact]
    public void Config_path_follows_the_worker()
    {
        var linux = new Env { HomeDirectory = "/home/ada", ConfigDirectory = "/xdg" };
        Assert.Equal("/home/ada/.config/nodetool/deployment.yaml", WorkerTokenStore.ResolveConfigPath(linux, "/cwd"));
        var windows = new Env { HomeDirectory = "/users/ada", ConfigDirectory = "/appdata/roaming", IsWindows = true };
        Assert.Equal(Path.Combine("/appdata/roaming", "nodetool", "deployment.yaml"), WorkerTokenStore.ResolveConfigPath(windows, "/cwd"));
        linux.Variables["NODETOOL_CONFIG_PATH"] = "conf/d.yaml";
        Assert.Equal("/cwd/conf/d.yaml", WorkerTokenStore.ResolveConfigPath(linux, "/cwd"));
    }

    [Fact]
    public void Environment_wins_over_the_file_and_reading_never_writes()
    {
        var env = new Env { HomeDirectory = _dir };
        var store = Store(env);
        Directory.CreateDirectory(Path.GetDirectoryName(store.ConfigPath)!);
        File.WriteAllText(store.ConfigPath, "worker_auth_token: from-file\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(store.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        env.Variables["WORKER_AUTH_TOKEN"] = "from-env";
        var fromEnv = store.Resolve();
        Assert.Equal(("from-env", WorkerTokenSource.Environment), (fromEnv.Token, fromEnv.Source));
        env.Variables.Clear();
        var fromFile = store.Resolve();
        Assert.Equal(("from-file", WorkerTokenSource.ConfigFile), (fromFile.Token, fromFile.Source));
        Assert.Equal("worker_auth_token: from-file\n", File.ReadAllText(store.ConfigPath));
    }

    [Fact]
    public void A_missing_token_is_an_error_and_the_first_rotation_writes_it_0600()
    {
        var env = new Env { HomeDirectory = _dir };
        var store = Store(env);
        var e = Assert.Throws<NaraAuthException>(() => store.Resolve());
        Assert.Equal("WorkerTokenNotFound", e.ErrorId);
        Assert.False(File.Exists(store.ConfigPath));

        // Reset-WorkerToken's path: the first token is a rotation from nothing.
        var generated = store.Rotate(new RecordingReporter());
        Assert.Null(generated.PreviousToken);
        Assert.Equal(43, generated.Token.Length);
        Assert.Equal(32, Convert.FromBase64String(generated.Token.Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.Equal("worker_auth_token: " + generated.Token + "\n", File.ReadAllText(store.ConfigPath));
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, store.ConfigPath);
        var read = store.Resolve();
        Assert.Equal((generated.Token, WorkerTokenSource.ConfigFile), (read.Token, read.Source));
    }

    [Theory]
    [InlineData("# NodeTool deployment\nserver_port: 8000\nmodels:\n  - llama3.2:latest\n  - qwen\n", "# NodeTool deployment\nserver_port: 8000\nmodels:\n  - llama3.2:latest\n  - qwen\nworker_auth_token: NEW\n")]
    [InlineData("a: 1\nworker_auth_token: old-token  # keep me\nb: {x: 2}\n", "a: 1\nworker_auth_token: NEW  # keep me\nb: {x: 2}\n")]
    [InlineData("worker_auth_token: \"quoted old\"\nother: yes", "worker_auth_token: NEW\nother: yes")]
    [InlineData("no_newline: true", "no_newline: true\nworker_auth_token: NEW\n")]
    [InlineData("", "worker_auth_token: NEW\n")]
    [InlineData("worker_auth_token:\nnext: 1\n", "worker_auth_token: NEW\nnext: 1\n")]
    public void Writing_the_token_keeps_other_keys_and_layout(string before, string after)
    {
        var result = WorkerConfigFile.WithToken(before, "NEW", "f.yaml");
        if (before.StartsWith("worker_auth_token:\n", StringComparison.Ordinal))
        {
            // An empty value has no span to splice into: the document is re-emitted, keys kept.
            Assert.Equal("NEW", WorkerConfigFile.ReadToken(result, "f.yaml"));
            Assert.Contains("next: 1", result);
            return;
        }
        Assert.Equal(after, result);
        Assert.Equal("NEW", WorkerConfigFile.ReadToken(result, "f.yaml"));
    }

    [Fact]
    public void Windows_line_endings_are_kept()
    {
        Assert.Equal("a: 1\r\nb: 2\r\nworker_auth_token: NEW\r\n", WorkerConfigFile.WithToken("a: 1\r\nb: 2\r\n", "NEW", "f.yaml"));
        Assert.Equal("a: 1\r\nworker_auth_token: NEW\r\nb: 2\r\n", WorkerConfigFile.WithToken("a: 1\r\nworker_auth_token: old\r\nb: 2\r\n", "NEW", "f.yaml"));
    }

    [Fact]
    public void Flow_mapping_is_re_emitted_with_all_keys()
    {
        var result = WorkerConfigFile.WithToken("{a: 1, b: [x, y]}", "NEW", "f.yaml");
        Assert.Equal("NEW", WorkerConfigFile.ReadToken(result, "f.yaml"));
        Assert.Contains("a: 1", result);
        Assert.Contains("x", result);
    }

    [Theory]
    [InlineData("worker_auth_token: [a, b]\n", "not a string")]
    [InlineData("- a\n- b\n", "top level is a list")]
    [InlineData("key: \"unterminated secret\n", "not valid YAML")]
    [InlineData("a: 1\n---\nb: 2\n", "more than one YAML document")]
    [InlineData("a: secret\na: 2\n", "not valid YAML")]
    public void Unusable_files_are_refused_without_echoing_them(string text, string why)
    {
        var e = Assert.Throws<NaraAuthException>(() => WorkerConfigFile.ReadToken(text, "f.yaml"));
        Assert.Equal("WorkerConfigInvalid", e.ErrorId);
        Assert.Contains(why, e.Message);
        Assert.DoesNotContain("secret", e.ToString());
        Assert.Throws<NaraAuthException>(() => WorkerConfigFile.WithToken(text, "NEW", "f.yaml"));
    }

    [Fact]
    public void Rotation_returns_the_previous_token_and_keeps_other_keys()
    {
        var env = new Env { HomeDirectory = _dir };
        var store = Store(env);
        Directory.CreateDirectory(Path.GetDirectoryName(store.ConfigPath)!);
        File.WriteAllText(store.ConfigPath, "port: 8000\nworker_auth_token: first\n");
        var reporter = new RecordingReporter();
        var rotation = store.Rotate(reporter);
        Assert.Equal("first", rotation.PreviousToken);
        Assert.NotEqual("first", rotation.Token);
        Assert.False(rotation.EnvironmentOverrides);
        Assert.Equal("port: 8000\nworker_auth_token: " + rotation.Token + "\n", File.ReadAllText(store.ConfigPath));
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, store.ConfigPath);
        Assert.Empty(reporter.Warnings);
        Assert.Contains("Restart the worker to use the new token.", reporter.Verbose);
        Assert.DoesNotContain(reporter.Verbose.Concat(reporter.Warnings), line => line.Contains(rotation.Token));

        // A token in the environment outranks the file: the person is warned that the new one is not used yet.
        env.Variables["WORKER_AUTH_TOKEN"] = "env";
        var overridden = new RecordingReporter();
        Assert.True(store.Rotate(overridden).EnvironmentOverrides);
        Assert.Contains("WORKER_AUTH_TOKEN is set", Assert.Single(overridden.Warnings));
    }
}
