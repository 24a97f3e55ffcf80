using System;
using System.Net;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Http;

/// <summary>
/// Base URLs must be https, except loopback hosts (127.0.0.0/8, [::1], localhost) so local
/// emulators and tests work (docs/protocol.md conventions). Checked before any credential is sent.
/// </summary>
public static class BaseUrlPolicy
{
    public static Uri Parse(string? url, string settingName)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url!.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new NaraAuthException("InvalidBaseUrl", NaraErrorCategory.InvalidArgument,
                $"'{SafeUri.WithoutQuery(url)}' ({settingName}) is not an absolute http(s) URL.",
                "Give a URL such as https://app.nara.de.", SafeUri.WithoutQuery(url));
        }
        SafeUri.RefuseUserInfo(uri, settingName);
        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            throw new NaraAuthException("InsecureBaseUrl", NaraErrorCategory.SecurityError,
                $"'{SafeUri.Origin(uri)}' ({settingName}) uses http:// for a host that is not loopback; credentials are only sent over https.",
                "Use the https:// address of the platform.", SafeUri.Origin(uri));
        }
        // A trailing slash makes relative paths combine predictably.
        var text = uri.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
    }

    public static bool IsLoopback(Uri uri)
    {
        if (uri.IsLoopback) return true;
        var host = uri.Host.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}
