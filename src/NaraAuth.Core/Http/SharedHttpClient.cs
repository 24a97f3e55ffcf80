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

