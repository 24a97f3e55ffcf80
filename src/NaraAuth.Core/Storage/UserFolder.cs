using System.IO;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The per-user folder for the files NaraAuth keeps for this user on this machine (docs/protocol.md 1.4):
/// %LOCALAPPDATA%\naraauth on Windows (never roams: a token and a device id belong to one
/// machine), $XDG_CONFIG_HOME/naraauth or ~/.config/naraauth elsewhere. The secure store creates
/// each missing level owner-only at the first write.
/// </summary>
public static class UserFolder
{
    public const string Name = "naraauth";

    /// <summary>The Edge Connector token and default bundle when no installation is named.</summary>
    public const string EdgeConnectorName = "edge-connector";

    public static string Root(IEnvironment environment)
    {
        var root = environment.IsWindows ? environment.GetVariable(EnvironmentVariables.LocalAppData) ?? environment.ConfigDirectory : environment.ConfigDirectory;
        return Path.Combine(root, Name);
    }

    /// <summary>Where the Edge Connector token goes when the current folder is not an installation.</summary>
    public static string EdgeConnector(IEnvironment environment) => Path.Combine(Root(environment), EdgeConnectorName);
}
