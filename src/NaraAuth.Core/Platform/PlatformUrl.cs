using System;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Http;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Platform;

/// <summary>The nara platform base URL: -BaseUrl, NARA_BASE_URL, config.json platformUrl, default (docs/protocol.md 1).</summary>
public static class PlatformUrl
{
    public const string Default = "https://app.nara.de";

    public static Uri Resolve(string? explicitUrl, IEnvironment environment, InstallationConfig? config) =>
        Choose(explicitUrl, environment, () => config).Url;

    /// <summary>
    /// The base URL and its source. <paramref name="config"/> is asked only when neither -BaseUrl
    /// nor NARA_BASE_URL is set, so an installation's config.json is read only when it is needed.
    /// </summary>
    public static PlatformTarget Choose(string? explicitUrl, IEnvironment environment, Func<InstallationConfig?> config)
    {
        // A -BaseUrl of blanks is a mistake to report, not a reason to call another platform.
        if (explicitUrl != null) return new(BaseUrlPolicy.Parse(explicitUrl, "-BaseUrl"), PlatformUrlSource.Parameter);
        if (environment.GetVariable(EnvironmentVariables.NaraBaseUrl) is { } fromEnv) return new(BaseUrlPolicy.Parse(fromEnv, EnvironmentVariables.NaraBaseUrl), PlatformUrlSource.EnvironmentVariable);
        if (config()?.PlatformUrl is { } fromConfig) return new(BaseUrlPolicy.Parse(fromConfig, "platformUrl in config.json"), PlatformUrlSource.ConfigFile);
        return new(BaseUrlPolicy.Parse(Default, "default"), PlatformUrlSource.Default);
    }
}
