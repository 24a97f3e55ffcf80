using System;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Config;

/// <summary>The nara platform base URL: -BaseUrl, NARA_BASE_URL, config.json platformUrl, default (docs/protocol.md 1).</summary>
public static class PlatformUrl
{
    public const string Default = "https://app.nara.de";

    public static Uri Resolve(string? explicitUrl, IEnvironment environment, InstallationConfig? config)
    {
        if (!string.IsNullOrWhiteSpace(explicitUrl)) return BaseUrlPolicy.Parse(explicitUrl, "-BaseUrl");
        if (environment.GetVariable(EnvironmentVariables.NaraBaseUrl) is { } fromEnv) return BaseUrlPolicy.Parse(fromEnv, EnvironmentVariables.NaraBaseUrl);
        if (config?.PlatformUrl is { } fromConfig) return BaseUrlPolicy.Parse(fromConfig, "platformUrl in config.json");
        return BaseUrlPolicy.Parse(Default, "default");
    }
}
