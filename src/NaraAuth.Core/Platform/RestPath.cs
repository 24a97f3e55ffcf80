using System;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Platform;

/// <summary>
/// Checks a -Path for Invoke-NaraRestMethod and Invoke-EdgePlaneRestMethod: it must be a path
/// on the service ("/api/..."), never an absolute URL or "//host", so the credential can only go
/// to the configured base URL.
/// </summary>
public static class RestPath
{
    /// <summary>The platform's wording: Invoke-NaraRestMethod.</summary>
    public static string Validate(string? path) =>
        Validate(path, "the platform", "/api/agent/run", "-BaseUrl, NARA_BASE_URL or config.json");

    /// <param name="service">What the path is on, for the message ("EdgePlane").</param>
    /// <param name="example">A path of that service.</param>
    /// <param name="hostFrom">Where the host comes from instead.</param>
    public static string Validate(string? path, string service, string example, string hostFrom)
    {
        var trimmed = path?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed[0] != '/' || trimmed.StartsWith("//", StringComparison.Ordinal)
            || trimmed.StartsWith("/\\", StringComparison.Ordinal) || trimmed.IndexOf("://", StringComparison.Ordinal) >= 0
            || HasWhitespaceOrControl(trimmed))
        {
            throw new NaraAuthException("InvalidApiPath", NaraErrorCategory.InvalidArgument,
                $"'{Http.SafeUri.Printable(path)}' is not a path on {service}; -Path must start with a single '/' and hold no spaces, tabs or control characters, e.g. {example}.",
                $"Give the path only, percent-encoding spaces (%20); the host comes from {hostFrom}.", Http.SafeUri.Printable(path));
        }
        return trimmed;
    }

    // "/ //other-host/x": whitespace after the first slash would make the rest a network-path reference.
    private static bool HasWhitespaceOrControl(string path)
    {
        foreach (var c in path)
            if (char.IsWhiteSpace(c) || char.IsControl(c)) return true;
        return false;
    }
}
