using System;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.Platform;

/// <summary>
/// Which platform a call goes to and with which credential: the one resolution every platform
/// cmdlet and Tab completion share, so completion can never send a credential where the
/// command itself would not. The base URL is checked (https, or loopback) before the credential
/// is even read.
/// </summary>
public sealed class PlatformCall
{
    private PlatformCall(Uri baseUrl, PlatformCredential credential)
    {
        BaseUrl = baseUrl;
        Credential = credential;
    }

    public Uri BaseUrl { get; }
    public PlatformCredential Credential { get; }

    /// <param name="explicitToken">-Token (plain text), or null when not given.</param>
    /// <param name="explicitBaseUrl">-BaseUrl, or null when not given.</param>
    /// <param name="installPath">-InstallPath, or null when not given.</param>
    /// <param name="onBaseUrl">Hears of the base URL before the credential is read (the cmdlet names it on its errors).</param>
    public static PlatformCall Resolve(string? explicitToken, string? explicitBaseUrl, string? installPath, CoreContext context, Action<Uri>? onBaseUrl = null)
    {
        var location = TokenLocation.Resolve(context.Environment, null, installPath, context.CurrentDirectory);
        // Who named the platform decides whether a stored login may be sent there.
        var target = PlatformUrl.Choose(explicitBaseUrl, context.Environment, () => location.Config);
        onBaseUrl?.Invoke(target.Url);
        var credential = PlatformCredential.Resolve(explicitToken, installPath, context, target);
        return new PlatformCall(target.Url, credential);
    }
}
