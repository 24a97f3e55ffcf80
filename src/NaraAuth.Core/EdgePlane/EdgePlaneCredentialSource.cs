using System.IO;

namespace NaraAuth.Core.EdgePlane;

/// <summary>Where the credential of an EdgePlane call came from, in precedence order.</summary>
public enum EdgePlaneCredentialSource
{
    /// <summary>The -Token parameter.</summary>
    Parameter,
    /// <summary>The EP_TOKEN environment variable (a service-account token in a pipeline's secret variable).</summary>
    EnvironmentVariable,
    /// <summary>The session saved by Invoke-OidcCliLogin (~/.edgeplane/session.json).</summary>
    SessionFile,
}
