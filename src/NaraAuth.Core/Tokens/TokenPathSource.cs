namespace NaraAuth.Core.Tokens;

/// <summary>Which rule of docs/protocol.md 1.4 chose the token file path.</summary>
public enum TokenPathSource
{
    /// <summary>An explicit -Path argument.</summary>
    Parameter,
    /// <summary>The AUTH_TOKEN_PATH environment variable.</summary>
    EnvironmentVariable,
    /// <summary>authTokenPath in the installation directory's config.json.</summary>
    ConfigFile,
    /// <summary>auth-token.json in the -InstallPath directory.</summary>
    InstallPath,
    /// <summary>auth-token.json in EDGE_CONNECTOR_HOME.</summary>
    EdgeConnectorHome,
    /// <summary>auth-token.json in the per-user folder: no installation was named (the current folder never is one).</summary>
    UserFolder,
}
