using System;
using System.Collections.Generic;
using System.Globalization;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Http;

/// <summary>
/// The one place a request's final address is built and checked, and the one way an address is
/// written into a message. A credential goes only to the base URL's origin: the final URI must
/// have its scheme, host and port, and a path may hold no whitespace or control character
/// (" //other-host/x" would otherwise become a network-path reference to another host).
/// </summary>
public static class SafeUri
{
    /// <summary>Combines a base URL and a request path, refusing anything that leaves the base's origin.</summary>
    public static Uri Combine(Uri baseUrl, string? path)
    {
        RefuseUserInfo(baseUrl, "the base URL");
        var text = path ?? string.Empty;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new NaraAuthException("InvalidRequestPath", NaraErrorCategory.InvalidArgument,
                    $"The request path '{Printable(text)}' contains whitespace or a control character (U+{(int)c:X4}); such a path could be read as another host.",
                    "Percent-encode spaces (%20) and remove line breaks or tabs from the path.", Printable(text));
            }
        }
        Uri uri;
        try
        {
            uri = new Uri(baseUrl, text.TrimStart('/'));
        }
        catch (UriFormatException e)
        {
            throw new NaraAuthException("InvalidRequestPath", NaraErrorCategory.InvalidArgument,
                $"The request path '{Printable(text)}' is not a valid URI path.", "Give a path such as /api/agent/run.", Printable(text), e);
        }
        if (!SameOrigin(baseUrl, uri))
        {
            throw new NaraAuthException("CrossOriginRequest", NaraErrorCategory.SecurityError,
                $"The request path '{Printable(text)}' leads to {Origin(uri)}, not to {Origin(baseUrl)}; a credential is only sent to the base URL's origin.",
                "Give a path on the base URL, e.g. /api/agent/run.", Printable(text));
        }
        return uri;
    }

    public static bool SameOrigin(Uri a, Uri b) =>
        a.IsAbsoluteUri && b.IsAbsoluteUri
        && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port && b.UserInfo.Length == 0;

    /// <summary>
    /// A user name or password in a URL would be quoted by every message that names the address,
    /// so such URLs are refused outright (the platform never uses them).
    /// </summary>
    public static void RefuseUserInfo(Uri uri, string settingName)
    {
        if (!uri.IsAbsoluteUri || uri.UserInfo.Length == 0) return;
        throw new NaraAuthException("CredentialsInUrl", NaraErrorCategory.SecurityError,
            $"The address {Origin(uri)} ({settingName}) carries a user name or password before '@'; NaraAuth refuses such URLs so they can never be written to a log.",
            "Remove 'user:password@' from the URL and pass credentials with the cmdlet's own parameters.", Origin(uri));
    }

    /// <summary>scheme://host[:port], never with user info.</summary>
    public static string Origin(Uri uri)
    {
        if (!uri.IsAbsoluteUri) return Printable(uri.OriginalString);
        var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return uri.Scheme + "://" + uri.Host + port;
    }

    /// <summary>scheme://host[:port]/path, without user info and query (which may carry codes).</summary>
    public static string WithoutQuery(Uri uri) => uri.IsAbsoluteUri ? Origin(uri) + uri.AbsolutePath : Printable(CutQuery(uri.OriginalString));

    /// <summary>
    /// Address text as it may be shown in a message or an output object: no user info, no query
    /// or fragment (an API key or a code travels there), no control characters.
    /// </summary>
    public static string WithoutQuery(string? text)
    {
        // Cut as written: a scheme without queries (ftp) would otherwise keep the key in its path.
        var value = CutQuery((text ?? string.Empty).Trim());
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsAbsoluteUri ? WithoutQuery(uri) : Printable(value);
    }

    private static string CutQuery(string text)
    {
        var cut = text.IndexOfAny(new[] { '?', '#' });
        return cut < 0 ? text : text.Substring(0, cut);
    }

    /// <summary>The values of an address's query, which may carry a key; a redactor masks them where a server quotes them.</summary>
    public static IEnumerable<string> QueryValues(Uri uri)
    {
        if (!uri.IsAbsoluteUri || uri.Query.Length <= 1) yield break;
        foreach (var pair in uri.Query.Substring(1).Split('&'))
        {
            var equals = pair.IndexOf('=');
            var value = equals < 0 ? pair : pair.Substring(equals + 1);
            if (value.Length == 0) continue;
            yield return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
    }

    /// <summary>Any address text, as it may be shown: user info masked, control characters gone.</summary>
    public static string Printable(string? text)
    {
        var value = text ?? string.Empty;
        var scheme = value.IndexOf("//", StringComparison.Ordinal);
        var at = value.IndexOf('@');
        if (scheme >= 0 && at > scheme)
        {
            var end = value.IndexOfAny(new[] { '/', '?', '#' }, scheme + 2);
            if (end < 0 || at < end) value = value.Substring(0, scheme + 2) + "***" + value.Substring(at);
        }
        return Text.DisplayText.Sanitize(value, 300) ?? string.Empty;
    }
}
