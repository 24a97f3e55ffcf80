using System;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.EdgePlane;

/// <summary>The EdgePlane base URL: -BaseUrl, else EP_BASE_URL (docs/protocol.md 2). There is no default host.</summary>
public static class EdgePlaneUrl
{
    public const string Variable = "EP_BASE_URL";

    public static Uri Resolve(string? explicitUrl, IEnvironment environment, string? fallback = null, string? fallbackName = null)
    {
        // A -BaseUrl of blanks is a mistake to report, not a reason to call another server.
        if (explicitUrl != null) return BaseUrlPolicy.Parse(explicitUrl, "-BaseUrl");
        if (environment.GetVariable(Variable) is { } fromEnv) return BaseUrlPolicy.Parse(fromEnv, Variable);
        if (!string.IsNullOrWhiteSpace(fallback)) return BaseUrlPolicy.Parse(fallback, fallbackName ?? "the session file");
        throw new NaraAuthException("EdgePlaneUrlMissing", NaraErrorCategory.InvalidArgument,
            "No EdgePlane address was given: pass -BaseUrl or set EP_BASE_URL.",
            "For example: $env:EP_BASE_URL = 'https://edgeplane.example.com'", "EP_BASE_URL");
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
