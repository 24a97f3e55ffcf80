using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Http;

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
