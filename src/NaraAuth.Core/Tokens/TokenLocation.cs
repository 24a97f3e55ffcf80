using System.IO;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tokens;

/// <summary>Where the Edge Connector token lives, and why (docs/protocol.md 1.4).</summary>
public sealed class TokenLocation
{
    public const string DefaultFileName = "auth-token.json";
    public const string BundleFileName = "default-bundle.json";

    private TokenLocation(string path, TokenPathSource source, string installationDirectory, InstallationConfig config)
    {
        Path = path;
        Source = source;
        InstallationDirectory = installationDirectory;
        Config = config;
    }

    public string Path { get; }
    public TokenPathSource Source { get; }
    public string InstallationDirectory { get; }
    public InstallationConfig Config { get; }

    /// <summary>default-bundle.json beside the token file (docs/protocol.md 1.5).</summary>
    public string BundlePath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, BundleFileName);

    /// <summary>
    /// For the person at the console when the per-user folder was chosen: where the files went,
    /// and how to use an installation instead. Null for every other rule.
    /// </summary>
    public string? UserFolderNote => Source == TokenPathSource.UserFolder
        ? $"The current folder is not an Edge Connector installation (it has no {InstallationConfig.FileName}), so the token file is '{Path}' in your per-user NaraAuth folder. "
          + $"For an installation, pass -InstallPath or set {EnvironmentVariables.EdgeConnectorHome}."
        : null;

    /// <param name="explicitPath">A -Path argument; wins over every other rule.</param>
    /// <param name="installPath">A -InstallPath argument.</param>
    /// <param name="currentDirectory">PowerShell's current file system location.</param>
    public static TokenLocation Resolve(IEnvironment environment, string? explicitPath, string? installPath, string currentDirectory)
    {
        TokenPathSource installSource;
        string installDir;
        if (!string.IsNullOrWhiteSpace(installPath))
        {
            installDir = System.IO.Path.GetFullPath(System.IO.Path.Combine(currentDirectory, installPath));
            installSource = TokenPathSource.InstallPath;
        }
        else if (environment.GetVariable(EnvironmentVariables.EdgeConnectorHome) is { } home)
        {
            installDir = System.IO.Path.GetFullPath(System.IO.Path.Combine(currentDirectory, home));
            installSource = TokenPathSource.EdgeConnectorHome;
        }
        else if (File.Exists(System.IO.Path.Combine(currentDirectory, InstallationConfig.FileName)))
        {
            installDir = System.IO.Path.GetFullPath(currentDirectory);
            installSource = TokenPathSource.CurrentDirectory;
        }
        else
        {
            // Any other folder (a git checkout, the home folder) must never receive a live token:
            // the user's own owner-only folder does, and the cmdlets say so.
            installDir = System.IO.Path.GetFullPath(UserFolder.EdgeConnector(environment));
            installSource = TokenPathSource.UserFolder;
        }

        var config = InstallationConfig.Load(installDir);
        if (!string.IsNullOrWhiteSpace(explicitPath))
            return new TokenLocation(Full(currentDirectory, explicitPath!), TokenPathSource.Parameter, installDir, config);
        if (environment.GetVariable(EnvironmentVariables.AuthTokenPath) is { } fromEnv)
            return new TokenLocation(Full(currentDirectory, fromEnv), TokenPathSource.EnvironmentVariable, installDir, config);
        if (config.AuthTokenPath is { } fromConfig)
            return new TokenLocation(Full(installDir, fromConfig), TokenPathSource.ConfigFile, installDir, config);
        return new TokenLocation(System.IO.Path.Combine(installDir, DefaultFileName), installSource, installDir, config);
    }

    private static string Full(string baseDirectory, string path) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, path));
}
