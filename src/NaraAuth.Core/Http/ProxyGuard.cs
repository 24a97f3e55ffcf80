using System;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Http;

/// <summary>
/// What may pass through an explicit proxy (-Proxy). A proxy sees a plain http request whole, so
/// a credential for an http origin goes through a proxy only when that proxy is on this machine
/// too; and a 407 challenge is a proxy's word only when a proxy could have said it: from a
/// server reached directly, or from inside an https tunnel, it is the server asking for the
/// proxy's account, which it never gets (docs/security.md, hostile proxy).
/// </summary>
public static class ProxyGuard
{
    /// <summary>Refuses, before anything is sent, a credential over plain http through a proxy on another machine.</summary>
    public static void RefusePlainHttpCredential(Uri uri, ApiRequest request, ProxySettings? proxy)
    {
        if (proxy?.Address == null || uri.Scheme != Uri.UriSchemeHttp || BaseUrlPolicy.IsLoopback(proxy.Address)) return;
        using var secrets = request.Secrets().GetEnumerator();
        if (!secrets.MoveNext()) return;
        throw new NaraAuthException("CredentialOverPlainHttpProxy", NaraErrorCategory.SecurityError,
            $"{request.Method} {SafeUri.WithoutQuery(uri)} carries a credential over plain http, and the proxy {SafeUri.Origin(proxy.Address)} would read it in clear; nothing was sent.",
            "Use the server's https address, or a proxy on this machine (or none) for a local http server.", SafeUri.WithoutQuery(uri));
    }

    /// <summary>Whether a 407 for <paramref name="uri"/> can only have come from the server itself.</summary>
    public static bool IsFromOrigin(Uri uri, ProxySettings? explicitProxy) =>
        uri.Scheme == Uri.UriSchemeHttps || explicitProxy?.Address == null && BaseUrlPolicy.IsLoopback(uri);

    public static NaraAuthException OriginChallenge(ApiRequest request, Uri uri) =>
        new("ProxyChallengeFromServer", NaraErrorCategory.SecurityError,
            $"{request.Method} {SafeUri.WithoutQuery(uri)} answered 407 Proxy Authentication Required, but that answer came from the server, not from a proxy; no proxy account is ever sent to a server.",
            "Check the address: it should be the service itself, not a proxy. Pass the proxy with -Proxy.", SafeUri.WithoutQuery(uri));
}
