using System;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.EdgePlane;

/// <summary>The EdgePlane base URL: -BaseUrl, else EP_BASE_URL (docs/protocol.md 2). There is no default host.</summary>
public static class EdgePlaneUrl
{
    public static Uri Resolve(string? explicitUrl, IEnvironment environment)
    {
        // A -BaseUrl of blanks is a mistake to report, not a reason to call another server.
        if (explicitUrl != null) return BaseUrlPolicy.Parse(explicitUrl, "-BaseUrl");
        if (environment.GetVariable(EnvironmentVariables.EdgePlaneBaseUrl) is { } fromEnv) return BaseUrlPolicy.Parse(fromEnv, EnvironmentVariables.EdgePlaneBaseUrl);
        throw new NaraAuthException("EdgePlaneUrlMissing", NaraErrorCategory.InvalidArgument,
            $"No EdgePlane address was given: pass -BaseUrl or set {EnvironmentVariables.EdgePlaneBaseUrl}.",
            $"For example: $env:{EnvironmentVariables.EdgePlaneBaseUrl} = 'https://edgeplane.example.com'", EnvironmentVariables.EdgePlaneBaseUrl);
    }

    /// <summary>
    /// Where a saved session may be sent: the server named by the caller, else the one that issued
    /// it (base_url in the file), and EP_BASE_URL only when the file does not say.
    /// </summary>
    public static Uri ForSession(string? explicitUrl, EdgePlaneSession session, string path, IEnvironment environment) =>
        explicitUrl != null
            ? Resolve(explicitUrl, environment)
            : !string.IsNullOrWhiteSpace(session.BaseUrl)
                ? BaseUrlPolicy.Parse(session.BaseUrl, $"base_url in '{path}'")
                : Resolve(null, environment);

    /// <summary>The form stored in session.json: scheme, host, port and path without a trailing slash.</summary>
    public static string ToStored(Uri baseUrl) => baseUrl.ToString().TrimEnd('/');
}
