using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Worker;

/// <summary>
/// The NodeTool worker token, resolved exactly as the worker resolves it (docs/protocol.md 3):
/// WORKER_AUTH_TOKEN, else worker_auth_token in the config file. Reading never writes: a new token
/// (the first included) comes only from <see cref="Rotate"/>, 32 random bytes saved to that file,
/// owner-only, other keys kept.
/// </summary>
public sealed class WorkerTokenStore
{
    private readonly IEnvironment _environment;
    private readonly SecureFileStore _store;

    public WorkerTokenStore(IEnvironment environment, SecureFileStore store, string currentDirectory)
    {
        _environment = environment;
        _store = store;
        ConfigPath = ResolveConfigPath(environment, currentDirectory);
    }

    public string ConfigPath { get; }

    /// <summary>NODETOOL_CONFIG_PATH, else ~/.config/nodetool/deployment.yaml (Windows: %APPDATA%\nodetool\deployment.yaml).</summary>
    public static string ResolveConfigPath(IEnvironment environment, string currentDirectory)
    {
        var configured = environment.GetVariable(EnvironmentVariables.NodeToolConfigPath);
        if (configured != null) return Path.GetFullPath(Path.Combine(currentDirectory, configured));
        // The worker uses ~/.config literally on Linux and macOS (not XDG_CONFIG_HOME), and %APPDATA% on Windows.
        var folder = environment.IsWindows ? environment.ConfigDirectory : Path.Combine(environment.HomeDirectory, ".config");
        return Path.Combine(folder, "nodetool", "deployment.yaml");
    }

    public WorkerTokenResult Resolve()
    {
        var fromEnvironment = _environment.GetVariable(EnvironmentVariables.WorkerAuthToken);
        if (fromEnvironment != null) return new WorkerTokenResult(fromEnvironment, WorkerTokenSource.Environment, ConfigPath);

        var text = ReadConfig();
        var fromFile = text == null ? null : WorkerConfigFile.ReadToken(text, ConfigPath);
        if (fromFile != null) return new WorkerTokenResult(fromFile, WorkerTokenSource.ConfigFile, ConfigPath);

        var why = text == null ? $"'{ConfigPath}' does not exist" : $"'{ConfigPath}' has no {WorkerConfigFile.TokenKey}";
        throw new NaraAuthException(ErrorIds.WorkerTokenNotFound, NaraErrorCategory.ObjectNotFound,
            $"No NodeTool worker token: {EnvironmentVariables.WorkerAuthToken} is not set and {why}.",
            "Run Reset-WorkerToken to generate and save one, or start the worker once (it generates one).", ConfigPath);
    }

    /// <summary>
    /// Saves a new token to the config file and returns it with the one it replaces; <paramref name="reporter"/>
    /// hears where it went and when the worker will use it (not while NODETOOL_AUTH_TOKEN outranks the file).
    /// </summary>
    public WorkerTokenRotation Rotate(IReporter reporter)
    {
        var text = ReadConfig();
        var previous = text == null ? null : WorkerConfigFile.ReadToken(text, ConfigPath);
        var token = GenerateToken();
        Save(text, token);
        reporter.Verbose($"Saved a new worker token to '{ConfigPath}'" + (previous == null ? "; the file held none before." : "."));
        var overridden = _environment.GetVariable(EnvironmentVariables.WorkerAuthToken) != null;
        if (overridden)
            reporter.Warning($"{EnvironmentVariables.WorkerAuthToken} is set, and the worker uses it before the config file: the new token takes effect only once that variable is removed or set to it.");
        else
            reporter.Verbose("Restart the worker to use the new token.");
        return new WorkerTokenRotation(token, previous, ConfigPath, overridden);
    }

    /// <summary>32 cryptographically random bytes, URL-safe base64 without padding (as secrets.token_urlsafe(32)).</summary>
    public static string GenerateToken()
    {
        var bytes = new byte[32];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
        var token = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Array.Clear(bytes, 0, bytes.Length);
        return token;
    }

    private void Save(string? existing, string token)
    {
        var content = WorkerConfigFile.WithToken(existing ?? string.Empty, token, ConfigPath);
        _store.WriteAllBytes(ConfigPath, new UTF8Encoding(false).GetBytes(content));
    }

    /// <summary>The file's text, or null when it does not exist.</summary>
    private string? ReadConfig()
    {
        if (!File.Exists(ConfigPath))
        {
            if (Directory.Exists(ConfigPath))
                throw Unreadable("it is a folder", null);
            return null;
        }
        var content = SecretFileReader.Read(_store, ConfigPath, SecretFileKind.WorkerConfig);
        return content.Text;
    }

    private NaraAuthException Unreadable(string why, Exception? inner) =>
        new("WorkerConfigUnreadable", NaraErrorCategory.ReadError,
            $"Could not read the NodeTool config file '{ConfigPath}': {why}.",
            $"Check the file's permissions, or set {EnvironmentVariables.NodeToolConfigPath} to another file.", ConfigPath, inner);
}
