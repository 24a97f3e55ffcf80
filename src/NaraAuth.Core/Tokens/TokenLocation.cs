using System;
using System.IO;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tokens;

/// <summary>
/// Where the Edge Connector token lives, and why (docs/protocol.md 1.4). An installation is only
/// what the invoker names (-InstallPath, EDGE_CONNECTOR_HOME); the current folder never is one,
/// so a cloned repository or an unpacked archive with a config.json steers nothing
/// (docs/decisions/installation-trust.md).
/// </summary>
public sealed class TokenLocation
{
    public const string DefaultFileName = "auth-token.json";
    public const string BundleFileName = "default-bundle.json";
    public const string TokenPathOutsideErrorId = "ConfigFileTokenPathOutside";

    private readonly Lazy<InstallationConfig> _config;

    private TokenLocation(string path, TokenPathSource source, string installationDirectory, Lazy<InstallationConfig> config)
    {
        Path = path;
        Source = source;
        InstallationDirectory = installationDirectory;
        _config = config;
    }

    public string Path { get; }
    public TokenPathSource Source { get; }
    public string InstallationDirectory { get; }

    /// <summary>
    /// The installation's config.json, read on first use only (an explicit -Path and -BaseUrl make
    /// it unneeded); throws ConfigFileUntrusted when another account could have written it.
    /// </summary>
    public InstallationConfig Config => _config.Value;

    /// <summary>default-bundle.json beside the token file (docs/protocol.md 1.5).</summary>
    public string BundlePath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, BundleFileName);

    /// <summary>
    /// For the verbose stream when the per-user folder was chosen: where the files went, and how
    /// to use an installation instead. Null for every other rule.
    /// </summary>
    public string? UserFolderNote => Source == TokenPathSource.UserFolder
        ? $"No installation was named, so the token file is '{Path}' in your per-user NaraAuth folder; for an installation, pass -InstallPath or set EDGE_CONNECTOR_HOME."
        : null;

    /// <param name="explicitPath">A -Path argument; wins over every other rule.</param>
    /// <param name="installPath">A -InstallPath argument.</param>
    /// <param name="currentDirectory">PowerShell's current file system location, for relative paths only.</param>
    public static TokenLocation Resolve(IEnvironment environment, string? explicitPath, string? installPath, string currentDirectory)
    {
        TokenPathSource installSource;
        string installDir;
        if (!string.IsNullOrWhiteSpace(installPath))
        {
            installDir = Full(currentDirectory, installPath!);
            installSource = TokenPathSource.InstallPath;
        }
        else if (environment.GetVariable(EnvironmentVariables.EdgeConnectorHome) is { } home && !string.IsNullOrWhiteSpace(home))
        {
            installDir = Full(currentDirectory, home);
            installSource = TokenPathSource.EdgeConnectorHome;
        }
        else
        {
            // Any other folder (a git checkout, the home folder) is never an installation: the
            // user's own owner-only folder receives the token.
            installDir = System.IO.Path.GetFullPath(UserFolder.EdgeConnector(environment));
            installSource = TokenPathSource.UserFolder;
        }

        var config = new Lazy<InstallationConfig>(() => InstallationConfig.Load(installDir), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        if (!string.IsNullOrWhiteSpace(explicitPath))
            return new TokenLocation(Full(currentDirectory, explicitPath!), TokenPathSource.Parameter, installDir, config);
        if (environment.GetVariable(EnvironmentVariables.AuthTokenPath) is { } fromEnv && !string.IsNullOrWhiteSpace(fromEnv))
            return new TokenLocation(Full(currentDirectory, fromEnv), TokenPathSource.EnvironmentVariable, installDir, config);
        if (config.Value.AuthTokenPath is { } fromConfig)
            return new TokenLocation(InsideInstallation(installDir, fromConfig, config.Value.SourcePath!), TokenPathSource.ConfigFile, installDir, config);
        return new TokenLocation(System.IO.Path.Combine(installDir, DefaultFileName), installSource, installDir, config);
    }

    /// <summary>
    /// authTokenPath resolved inside the installation folder: relative, no '..', no absolute path
    /// elsewhere, and no symbolic link (or Windows reparse point) on the way or at the file, which
    /// could lead out of it. A config.json cannot make a command write, hand over or send a file
    /// that is not the installation's own.
    /// </summary>
    internal static string InsideInstallation(string installDir, string authTokenPath, string configPath)
    {
        var root = System.IO.Path.GetFullPath(installDir).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, authTokenPath));
        var comparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
            ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string? why = null;
        foreach (var part in authTokenPath.Split('/', '\\'))
            if (part == "..") why = "it climbs out with '..'";
        if (why == null && !full.StartsWith(root + System.IO.Path.DirectorySeparatorChar, comparison))
            why = "it names a file outside the installation folder";
        if (why == null) why = LinkOnTheWay(root, full);
        if (why == null) return full;
        throw new NaraAuthException(TokenPathOutsideErrorId, NaraErrorCategory.SecurityError,
            $"The authTokenPath '{authTokenPath}' in '{configPath}' was not used: {why}. The token file must be inside the installation folder '{root}'.",
            "Make authTokenPath a path inside the installation folder (for example \"auth-token.json\"), or pass -Path (or AUTH_TOKEN_PATH) to name the token file yourself.",
            configPath);
    }

    private static string? LinkOnTheWay(string root, string full)
    {
        var current = root;
        foreach (var part in full.Substring(root.Length).Split(new[] { System.IO.Path.DirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries))
        {
            current = System.IO.Path.Combine(current, part);
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
            {
                if (!File.Exists(current) && !Directory.Exists(current)) return null;
                if ((File.GetAttributes(current) & FileAttributes.ReparsePoint) != 0) return $"'{current}' is a reparse point (a link or junction) that could lead out of it";
                continue;
            }
            var status = UnixFileApi.LinkStatus(current);
            if (status is null) return null;
            if (status.Value.IsSymlink) return $"'{current}' is a symbolic link that could lead out of it";
        }
        return null;
    }

    private static string Full(string baseDirectory, string path) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, path));
}
