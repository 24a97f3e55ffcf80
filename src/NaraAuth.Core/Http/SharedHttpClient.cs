using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Http;

/// <summary>
/// One HttpClient for the whole process (per proxy setting), so sockets and TLS sessions are
/// reused across cmdlet calls. Timeouts are applied per request by the caller, so the client's own is infinite.
/// Without -Proxy the handler uses the system proxy (on PowerShell 7 that honours
/// HTTPS_PROXY/HTTP_PROXY and NO_PROXY; on Windows PowerShell, WebRequest.DefaultWebProxy). An
/// explicit -Proxy carries every request, loopback addresses included, as Invoke-RestMethod -Proxy
/// does on PowerShell 7: the person named it, and Windows PowerShell's WebProxy would otherwise
/// quietly bypass it for localhost.
/// </summary>
public static class SharedHttpClient
{
    /// <summary>How many explicit proxies keep a client of their own; beyond that the oldest are dropped.</summary>
    private const int MaxExplicitProxies = 8;
    private static readonly object Gate = new();
    private static readonly Dictionary<ProxySettings, HttpClient> ForProxy = new();
    private static HttpClient? _system;

    /// <summary>The client for the proxy of the cmdlet call in progress (<see cref="NetworkSettings.Current"/>).</summary>
    public static HttpClient ForCurrentCall() => Get(NetworkSettings.Current?.Proxy);

    /// <summary>
    /// One client per proxy setting, kept side by side: runspaces calling through different proxies
    /// at the same time (ForEach-Object -Parallel) each keep their connections instead of
    /// replacing each other's client at every request.
    /// </summary>
    public static HttpClient Get(ProxySettings? proxy = null)
    {
        lock (Gate)
        {
            if (proxy?.Address == null) return _system ??= Create(null);
            if (ForProxy.TryGetValue(proxy, out var client)) return client;
            // Dropped clients may still serve requests in flight; they are left to the GC.
            if (ForProxy.Count >= MaxExplicitProxies) ForProxy.Clear();
            return ForProxy[proxy] = Create(proxy);
        }
    }

    private static HttpClient Create(ProxySettings? proxy)
    {
        EnableTls12OnNetFramework();
        var handler = new HttpClientHandler { AllowAutoRedirect = false };
        if (proxy != null)
        {
            handler.Proxy = new ExplicitProxy(proxy.Address, proxy.Credentials);
            handler.UseProxy = true;
        }
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("NaraAuth/" + typeof(SharedHttpClient).Assembly.GetName().Version);
        return client;
    }

    /// <summary>
    /// Windows PowerShell 5.1 may default to TLS 1.0; add TLS 1.2 to whatever is enabled
    /// rather than replacing it, so other code's choices survive.
    /// </summary>
    private static void EnableTls12OnNetFramework()
    {
        if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)) return;
        ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
    }
}

/// <summary>-Proxy for every destination: never bypassed, loopback included, on every runtime.</summary>
internal sealed class ExplicitProxy : IWebProxy
{
    private readonly Uri _address;

    public ExplicitProxy(Uri address, ICredentials? credentials)
    {
        _address = address;
        Credentials = credentials;
    }

    /// <summary>Sent only to the proxy, in Proxy-Authorization, after it asks with 407.</summary>
    public ICredentials? Credentials { get; set; }
    public Uri GetProxy(Uri destination) => _address;
    public bool IsBypassed(Uri host) => false;
}

/// <summary>An explicit proxy (-Proxy/-ProxyCredential); null means the system proxy.</summary>
public sealed class ProxySettings : IEquatable<ProxySettings>
{
    public ProxySettings(Uri address, ICredentials? credentials)
    {
        Address = address;
        Credentials = credentials;
    }

    public Uri Address { get; }
    public ICredentials? Credentials { get; }

    /// <summary>
    /// -Proxy and -ProxyCredential as given (to a cmdlet, or typed on a line being completed):
    /// null without -Proxy; a wrong address or an account without a proxy is refused.
    /// </summary>
    public static ProxySettings? FromParameters(Uri? proxy, NetworkCredential? credential)
    {
        if (proxy == null)
        {
            if (credential != null)
            {
                throw new Errors.NaraAuthException("ProxyCredentialWithoutProxy", Errors.NaraErrorCategory.InvalidArgument,
                    "-ProxyCredential needs -Proxy, the address of the proxy it is for.",
                    "Add -Proxy http://proxy.example.com:8080, or drop -ProxyCredential to use the system proxy.");
            }
            return null;
        }
        if (!proxy.IsAbsoluteUri || (proxy.Scheme != Uri.UriSchemeHttp && proxy.Scheme != Uri.UriSchemeHttps))
        {
            throw new Errors.NaraAuthException("InvalidProxy", Errors.NaraErrorCategory.InvalidArgument,
                $"'{SafeUri.WithoutQuery(proxy.OriginalString)}' (-Proxy) is not an absolute http(s) URL.", "Give the proxy as http://host:port.", SafeUri.WithoutQuery(proxy.OriginalString));
        }
        // A password in the address would be quoted wherever the proxy is named; it belongs in -ProxyCredential.
        SafeUri.RefuseUserInfo(proxy, "-Proxy");
        return new ProxySettings(proxy, credential);
    }

    // Credentials compare by value: each cmdlet call builds a new NetworkCredential from
    // -ProxyCredential, and the same proxy and account should keep reusing one HttpClient.
    public bool Equals(ProxySettings? other) =>
        other != null && Address == other.Address && SameCredentials(Credentials, other.Credentials);

    private static bool SameCredentials(ICredentials? a, ICredentials? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is NetworkCredential x && b is NetworkCredential y)
            return x.UserName == y.UserName && x.Domain == y.Domain && x.Password == y.Password;
        return false;
    }

    public override bool Equals(object? obj) => Equals(obj as ProxySettings);
    public override int GetHashCode() => Address.GetHashCode();
}
