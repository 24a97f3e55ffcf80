using System;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Platform;

/// <summary>
/// Checks a -Path for Invoke-NaraRestMethod: it must be a path on the platform ("/api/..."),
/// never an absolute URL or "//host", so the credential can only go to the configured base URL.
/// </summary>
public static class RestPath
{
    public static string Validate(string? path)
    {
        var trimmed = path?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed[0] != '/' || trimmed.StartsWith("//", StringComparison.Ordinal)
            || trimmed.StartsWith("/\\", StringComparison.Ordinal) || trimmed.IndexOf("://", StringComparison.Ordinal) >= 0
            || HasWhitespaceOrControl(trimmed))
        {
            throw new NaraAuthException("InvalidApiPath", NaraErrorCategory.InvalidArgument,
                $"'{Http.SafeUri.Printable(path)}' is not a path on the platform; -Path must start with a single '/' and hold no spaces, tabs or control characters, e.g. /api/agent/run.",
                $"Give the path only, percent-encoding spaces (%20); the host comes from -BaseUrl, {EnvironmentVariables.NaraBaseUrl} or config.json.", Http.SafeUri.Printable(path));
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
