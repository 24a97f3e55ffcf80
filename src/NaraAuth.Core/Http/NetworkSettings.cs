using System;
using System.Threading;

namespace NaraAuth.Core.Http;

/// <summary>
/// The network settings of one cmdlet call (-Proxy, -ProxyCredential, -TimeoutSec), carried with
/// the call's async flow: every request the call makes, however deep in Core (a JWKS fetch during
/// validation, an identity provider's discovery document, MSAL's token redemption), goes through
/// the same proxy with the same per-request timeout, without each flow passing them along. The
/// value flows with the ExecutionContext, so calls in other runspaces never see each other's.
/// </summary>
public sealed class NetworkSettings
{
    private static readonly AsyncLocal<NetworkSettings?> Ambient = new();

    public NetworkSettings(ProxySettings? proxy, TimeSpan? requestTimeout)
    {
        Proxy = proxy;
        RequestTimeout = requestTimeout;
    }

    /// <summary>An explicit proxy; null means the system proxy.</summary>
    public ProxySettings? Proxy { get; }

    /// <summary>How long one attempt of each request may take (-TimeoutSec); null keeps <see cref="RequestTimeouts.Default"/>.</summary>
    public TimeSpan? RequestTimeout { get; }

    /// <summary>The settings of the call in progress, or null outside one (argument completion).</summary>
    public static NetworkSettings? Current => Ambient.Value;

    /// <summary>
    /// Makes <paramref name="settings"/> current for the work started inside <paramref name="start"/>
    /// (which captures them, as Task.Run does), and restores the previous ones afterwards, so a
    /// later command in the same pipeline starts from its own.
    /// </summary>
    public static T Run<T>(NetworkSettings? settings, Func<T> start)
    {
        var previous = Ambient.Value;
        Ambient.Value = settings;
        try
        {
            return start();
        }
        finally
        {
            Ambient.Value = previous;
        }
    }
}
