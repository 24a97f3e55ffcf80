using System;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.Tokens;

/// <summary>
/// Where a stored login may be sent (docs/decisions/installation-trust.md): only to the platform
/// origin its token file was saved for. A file from before that field was written goes only to a
/// platform the invoker named (-BaseUrl, NARA_BASE_URL, the default), never to one a config.json
/// names. Every path that sends the stored token (Get-AuthToken -Verify, Get-NaraAuthStatus
/// -Verify, Connect-EdgeConnector's reuse check, the platform cmdlets) asks here first.
/// </summary>
public static class StoredLoginDestination
{
    public const string ErrorId = "StoredTokenOtherPlatform";

    /// <summary>Null when <paramref name="file"/> may be sent to <paramref name="target"/>; else why not.</summary>
    public static string? Problem(TokenFile file, PlatformTarget target)
    {
        var origin = SafeUri.Origin(target.Url);
        if (file.PlatformUrl != null)
        {
            return string.Equals(file.PlatformUrl, origin, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"it was saved for {file.PlatformUrl}, and this call goes to {origin} (named by {Describe(target.Source)})";
        }
        return target.NamedByInvoker
            ? null
            : $"the file does not say which platform it was saved for, and {origin} was named by config.json, not by you";
    }

    /// <summary>Throws <see cref="ErrorId"/> when the stored login may not go to <paramref name="target"/>.</summary>
    public static void Check(TokenFile file, string tokenPath, PlatformTarget target)
    {
        if (Problem(file, target) is not { } why) return;
        var fix = file.PlatformUrl != null
            ? $"Pass -BaseUrl {file.PlatformUrl} (or set {EnvironmentVariables.NaraBaseUrl}) to use it with its own platform, or log in to {SafeUri.Origin(target.Url)} with Connect-EdgeConnector."
            : $"Pass -BaseUrl (or set {EnvironmentVariables.NaraBaseUrl}) to the platform you logged in to, or log in again with Connect-EdgeConnector, which records the platform in the file.";
        throw new NaraAuthException(ErrorId, NaraErrorCategory.SecurityError,
            $"The stored login in '{tokenPath}' was not sent: {why}.", fix, tokenPath);
    }

    private static string Describe(PlatformUrlSource source) => source switch
    {
        PlatformUrlSource.Parameter => "-BaseUrl",
        PlatformUrlSource.EnvironmentVariable => EnvironmentVariables.NaraBaseUrl,
        PlatformUrlSource.ConfigFile => "platformUrl in config.json",
        _ => "the default",
    };
}
