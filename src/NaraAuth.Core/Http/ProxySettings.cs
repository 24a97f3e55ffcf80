using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Http;

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
