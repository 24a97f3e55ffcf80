using System;
using NaraAuth.Core.Errors;

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
            || trimmed.IndexOfAny(new[] { '\r', '\n' }) >= 0)
        {
            throw new NaraAuthException("InvalidApiPath", NaraErrorCategory.InvalidArgument,
                $"'{path}' is not a path on the platform; -Path must start with a single '/', e.g. /api/agent/run.",
                "Give the path only; the host comes from -BaseUrl, NARA_BASE_URL or config.json.", path);
        }
        return trimmed;
    }
}
