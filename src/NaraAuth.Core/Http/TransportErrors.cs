using System;
using System.Net.Http;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Http;

/// <summary>
/// The errors of the HTTP path, worded once: what was called (never with user info or query),
/// what went wrong and whether trying again may help (<see cref="NaraAuthException.IsTransient"/>).
/// </summary>
internal static class TransportErrors
{
    public static NaraAuthException TimedOut(ApiRequest request, Uri uri, TimeSpan timeout, Exception inner) =>
        new("RequestTimedOut", NaraErrorCategory.OperationTimeout,
            $"{request.Method} {SafeUri.WithoutQuery(uri)} did not answer within {timeout.TotalSeconds:0.#} s.",
            "Check the network, or raise -TimeoutSec.", SafeUri.WithoutQuery(uri), inner)
        { IsTransient = true };

    public static NaraAuthException Unreachable(Uri uri, Exception inner) =>
        new("PlatformUnreachable", NaraErrorCategory.ConnectionError,
            $"Could not reach {SafeUri.Origin(uri)}: {Text.DisplayText.Sanitize(Innermost(inner).Message)}",
            "Check the base URL, the network and any proxy settings.", SafeUri.Origin(uri), inner)
        { IsTransient = true };

    public static NaraAuthException Tls(Uri uri, Exception inner) =>
        new("PlatformUnreachable", NaraErrorCategory.ConnectionError,
            $"Could not reach {SafeUri.Origin(uri)}: the TLS handshake failed ({Text.DisplayText.Sanitize(Innermost(inner).Message)}).",
            "Check that the server's certificate is valid for this host and trusted by this machine.", SafeUri.Origin(uri), inner);

    public static NaraAuthException ProxyAuthentication(Uri uri, Exception inner) =>
        new("ProxyAuthenticationRequired", NaraErrorCategory.AuthenticationError,
            $"Could not reach {SafeUri.Origin(uri)}: the proxy requires authentication (407).",
            "Pass -ProxyCredential, or configure the system proxy's credentials.", SafeUri.Origin(uri), inner);

    /// <summary>No redirect is followed: the credential stays with the origin it was meant for.</summary>
    public static NaraAuthException Redirect(ApiRequest request, Uri uri, HttpResponseMessage response, SecretRedactor redactor)
    {
        var location = response.Headers.Location;
        var target = location == null ? "no Location" : SafeUri.Printable(redactor.Redact(location.IsAbsoluteUri ? location.AbsoluteUri : location.OriginalString));
        return new NaraAuthException(ErrorIds.RedirectRefused, NaraErrorCategory.SecurityError,
            $"{request.Method} {SafeUri.WithoutQuery(uri)} answered with a redirect (HTTP {(int)response.StatusCode}) to {target}; NaraAuth never follows a redirect, so nothing was sent there.",
            "Check the base URL: use the platform's own address, and if the redirect is expected, configure its target directly.",
            SafeUri.WithoutQuery(uri));
    }

    public static NaraAuthException UnexpectedUpgrade(ApiRequest request, Uri uri) =>
        new("UnexpectedStatus", NaraErrorCategory.ProtocolError,
            $"{request.Method} {SafeUri.WithoutQuery(uri)} answered 101 Switching Protocols to a plain request.", null, SafeUri.WithoutQuery(uri));

    public static NaraAuthException TooLarge(ApiRequest request, Uri uri, long maxBytes, long? declared) =>
        new("ResponseTooLarge", NaraErrorCategory.LimitsExceeded,
            $"The answer to {request.Method} {SafeUri.WithoutQuery(uri)} is larger than {maxBytes / (1024 * 1024)} MiB" +
            (declared is { } d ? $" ({d} bytes declared)" : string.Empty) + "; it was not read further.",
            "Check that the base URL points to the platform; its answers are far smaller.", SafeUri.WithoutQuery(uri));

    public static bool IsProxyAuthenticationFailure(HttpRequestException e)
    {
        for (Exception? current = e; current != null; current = current.InnerException)
            if (current.Message.IndexOf("407", StringComparison.Ordinal) >= 0) return true;
        return false;
    }

    public static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? current = e; current != null; current = current.InnerException)
            if (current is T match) return match;
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException != null) e = e.InnerException;
        return e;
    }
}
