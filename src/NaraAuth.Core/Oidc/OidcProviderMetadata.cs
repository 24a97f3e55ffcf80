using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Tokens;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Oidc;

/// <summary>The provider's discovery document (OpenID Connect Discovery 1.0), the parts NaraAuth uses.</summary>
public sealed class OidcProviderMetadata
{
    /// <summary>Keys are read again after this long even when every kid is known.</summary>
    public static readonly TimeSpan KeyCacheLifetime = TimeSpan.FromMinutes(10);
    private static readonly ConcurrentDictionary<string, (JsonWebKeySet Keys, DateTimeOffset ReadAt)> KeyCache = new(StringComparer.Ordinal);

    private OidcProviderMetadata(string issuer, Uri? authorizationEndpoint, Uri tokenEndpoint, Uri? deviceAuthorizationEndpoint, Uri jwksUri, bool issInAuthorizationResponse,
        System.Collections.Generic.IReadOnlyList<string>? tokenEndpointAuthMethods = null)
    {
        TokenEndpointAuthMethods = tokenEndpointAuthMethods;
        IssInAuthorizationResponse = issInAuthorizationResponse;
        Issuer = issuer;
        AuthorizationEndpoint = authorizationEndpoint;
        TokenEndpoint = tokenEndpoint;
        DeviceAuthorizationEndpoint = deviceAuthorizationEndpoint;
        JwksUri = jwksUri;
    }

    /// <summary>Exactly as the provider states it; ID tokens' iss must equal this.</summary>
    public string Issuer { get; }
    public Uri? AuthorizationEndpoint { get; }
    public Uri TokenEndpoint { get; }
    public Uri? DeviceAuthorizationEndpoint { get; }
    public Uri JwksUri { get; }
    /// <summary>token_endpoint_auth_methods_supported as published; null when the document does not say (then client_secret_basic, RFC 8414 2).</summary>
    public System.Collections.Generic.IReadOnlyList<string>? TokenEndpointAuthMethods { get; }
    /// <summary>RFC 7009 revocation_endpoint; null when the provider advertises none.</summary>
    public Uri? RevocationEndpoint { get; private set; }
    /// <summary>RP-initiated logout end_session_endpoint; null when the provider advertises none.</summary>
    public Uri? EndSessionEndpoint { get; private set; }
    /// <summary>RFC 9207: the provider puts iss on every authorization response, so one without it or with another is refused.</summary>
    public bool IssInAuthorizationResponse { get; }

    public static Uri DiscoveryUrl(Uri authority) =>
        new(authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");

    /// <param name="reporter">Hears of retries of the discovery request.</param>
    public static async Task<OidcProviderMetadata> FetchAsync(Uri authority, CancellationToken cancellationToken, IReporter? reporter = null)
    {
        var url = DiscoveryUrl(authority);
        var response = await new ApiClient(url, reporter: reporter).SendAsync(new ApiRequest(HttpMethod.Get, string.Empty), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 404)
        {
            throw new NaraAuthException("OidcDiscoveryNotFound", NaraErrorCategory.ObjectNotFound,
                $"{url} does not exist (404): '{authority}' is not an OpenID Connect issuer.",
                $"Check -Authority / {EnvironmentVariables.OidcIssuerUrl}: it is the issuer URL, e.g. https://idp.example.com/application/o/<slug>/.", url.ToString());
        }
        response.EnsureSuccess("read the identity provider's discovery document");
        using var document = response.Json();
        var root = document.RootElement;
        var issuer = JsonText.StringOf(root, "issuer");
        if (string.IsNullOrEmpty(issuer)) throw Malformed(url, "issuer");
        // OpenID Connect Discovery 4.3: the document's issuer must be the one asked for. A trailing
        // slash is the one difference tolerated, since people type issuers both ways.
        if (!string.Equals(issuer!.TrimEnd('/'), authority.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new NaraAuthException("OidcIssuerMismatch", NaraErrorCategory.SecurityError,
                $"The provider at '{authority}' says its issuer is '{issuer}'; they must be the same.",
                $"Use the issuer URL exactly as the provider publishes it ({EnvironmentVariables.OidcIssuerUrl} must match the iss claim).", url.ToString());
        }
        return new OidcProviderMetadata(issuer,
            Endpoint(root, "authorization_endpoint", url, required: false),
            Endpoint(root, "token_endpoint", url, required: true)!,
            Endpoint(root, "device_authorization_endpoint", url, required: false),
            Endpoint(root, "jwks_uri", url, required: true)!,
            root.TryGetProperty("authorization_response_iss_parameter_supported", out var iss) && iss.ValueKind == System.Text.Json.JsonValueKind.True,
            StringList(root, "token_endpoint_auth_methods_supported"))
        {
            RevocationEndpoint = Endpoint(root, "revocation_endpoint", url, required: false),
            EndSessionEndpoint = Endpoint(root, "end_session_endpoint", url, required: false),
        };
    }

    /// <summary>
    /// The provider's signing keys from jwks_uri, kept for the process for a few minutes;
    /// <paramref name="refresh"/> reads them again (a token named a key the cached set lacks).
    /// </summary>
    public async Task<JsonWebKeySet> GetSigningKeysAsync(bool refresh, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        if (!refresh && KeyCache.TryGetValue(JwksUri.AbsoluteUri, out var cached) && now - cached.ReadAt < KeyCacheLifetime) return cached.Keys;
        var keys = await ReadSigningKeysAsync(cancellationToken).ConfigureAwait(false);
        KeyCache[JwksUri.AbsoluteUri] = (keys, now);
        return keys;
    }

    private async Task<JsonWebKeySet> ReadSigningKeysAsync(CancellationToken cancellationToken)
    {
        var response = await new ApiClient(JwksUri).SendAsync(new ApiRequest(HttpMethod.Get, string.Empty), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccess("read the identity provider's signing keys");
        try
        {
            return new JsonWebKeySet(response.Body);
        }
        catch (ArgumentException)
        {
            throw new NaraAuthException("MalformedJwks", NaraErrorCategory.ProtocolError,
                $"The identity provider's signing keys ({SafeUri.WithoutQuery(JwksUri)}) are not a valid JSON Web Key Set.", null, SafeUri.WithoutQuery(JwksUri));
        }
    }

    private static System.Collections.Generic.IReadOnlyList<string>? StringList(System.Text.Json.JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var list) || list.ValueKind != System.Text.Json.JsonValueKind.Array) return null;
        var values = new System.Collections.Generic.List<string>();
        foreach (var item in list.EnumerateArray())
            if (item.ValueKind == System.Text.Json.JsonValueKind.String && item.GetString() is { Length: > 0 } value) values.Add(value);
        return values;
    }

    private static Uri? Endpoint(System.Text.Json.JsonElement root, string name, Uri source, bool required)
    {
        var text = JsonText.StringOf(root, name);
        if (string.IsNullOrEmpty(text))
        {
            if (required) throw Malformed(source, name);
            return null;
        }
        // Endpoints obey the same rule as base URLs: https except loopback.
        return BaseUrlPolicy.Parse(text, name + " in the discovery document") is { } _ ? new Uri(text!) : null;
    }

    private static NaraAuthException Malformed(Uri url, string field) =>
        new("MalformedDiscoveryDocument", NaraErrorCategory.ProtocolError,
            $"The discovery document at {SafeUri.WithoutQuery(url)} has no valid '{field}'.", $"Check -Authority / {EnvironmentVariables.OidcIssuerUrl}.", SafeUri.WithoutQuery(url));
}
