using System;
using System.Management.Automation;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Base of every cmdlet that calls out: -Proxy, -ProxyCredential and -TimeoutSec with one meaning
/// each, as Invoke-RestMethod has them. They reach every request of the call (see
/// <see cref="NetworkSettings"/>), so no cmdlet passes them along by hand. Where they are
/// parameters is the subclass's to say: <see cref="NetworkCmdlet"/> in every parameter set, or a
/// cmdlet with sets that make no request declares them on the sets that do
/// (docs/decisions/network-parameters.md).
/// </summary>
public abstract class NetworkSettingsCmdlet : NaraCmdlet
{
    private NetworkSettings? _network;

    /// <summary>An explicit proxy for every request, loopback included; without it the system proxy is used (HTTPS_PROXY/NO_PROXY on PowerShell 7).</summary>
    public abstract Uri? Proxy { get; set; }

    /// <summary>The account for -Proxy; sent only to the proxy (Proxy-Authorization), never to the server.</summary>
    public abstract PSCredential? ProxyCredential { get; set; }

    /// <summary>How long one request may take, in seconds; each retry gets as long again.</summary>
    public abstract int TimeoutSec { get; set; }

    /// <summary>A wrong -Proxy is reported before anything else happens.</summary>
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
