namespace NaraAuth.Core.Platform;

/// <summary>Where the credential of an authenticated platform call came from, in precedence order.</summary>
public enum CredentialSource
{
    /// <summary>The -Token parameter.</summary>
    Parameter,
    /// <summary>The NARA_TOKEN environment variable (a server token in CI).</summary>
    EnvironmentVariable,
    /// <summary>The stored Edge Connector token file.</summary>
    TokenFile,
}
