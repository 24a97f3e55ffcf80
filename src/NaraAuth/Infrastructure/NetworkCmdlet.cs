using System;
using System.Management.Automation;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Base of every cmdlet that calls out: -Proxy, -ProxyCredential and -TimeoutSec, declared once
/// with one meaning each, as Invoke-RestMethod has them. They reach every request of the call
/// (see <see cref="NetworkSettings"/>), so no cmdlet passes them along by hand.
/// </summary>
public abstract class NetworkCmdlet : NaraCmdlet
{
    private NetworkSettings? _network;

    /// <summary>An explicit proxy for every request, loopback included; without it the system proxy is used (HTTPS_PROXY/NO_PROXY on PowerShell 7).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>The account for -Proxy; sent only to the proxy (Proxy-Authorization), never to the server.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>How long one request may take, in seconds; each retry gets as long again.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    /// <summary>A wrong -Proxy is reported before anything else happens, even in a mode that makes no request.</summary>
    protected override void BeginProcessing()
    {
        try
        {
            _ = Network;
        }
        catch (NaraAuthException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
    }

    /// <summary>Checked once per call: a wrong -Proxy ends the whole command, since no record could go through.</summary>
    internal override NetworkSettings? Network => _network ??= SharedSetup(() =>
    {
        var proxy = ProxySettingsFromParameters();
        if (proxy != null)
            WriteVerbose($"Every request goes through the proxy {SafeUri.Origin(proxy.Address)}" + (proxy.Credentials != null ? ", with the account from -ProxyCredential." : "."));
        return new NetworkSettings(proxy, TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : null);
    });

    private ProxySettings? ProxySettingsFromParameters() => ProxySettings.FromParameters(Proxy, ProxyCredential?.GetNetworkCredential());
}
