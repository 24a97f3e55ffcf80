using System;
using System.Collections.Generic;
using System.Linq;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Oidc;

/// <summary>Who to log in with: the issuer, the public client and the scopes (docs/protocol.md 2.3).</summary>
public sealed class OidcSettings
{
    /// <summary>
    /// offline_access asks a standard provider for a refresh token (OIDC Core 11), so the saved
    /// session is refreshed silently instead of asking the person again every hour.
    /// </summary>
    public const string DefaultScopes = "openid profile email offline_access";

    public OidcSettings(Uri authority, string clientId, IReadOnlyList<string> scopes)
    {
        Authority = authority;
        ClientId = clientId;
        Scopes = scopes;
    }

    /// <summary>The issuer URL as given (no trailing slash added or removed).</summary>
    public Uri Authority { get; }
    public string ClientId { get; }
    public IReadOnlyList<string> Scopes { get; }
    public string Scope => string.Join(" ", Scopes);
    public bool AsksForRefreshToken => Scopes.Contains("offline_access");

    /// <summary>Parameters win, then OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_SCOPES (either replaces the default scopes whole).</summary>
    public static OidcSettings Resolve(string? authority, string? clientId, IEnumerable<string>? scopes, IEnvironment environment)
    {
        var issuer = ResolveAuthority(authority, environment);
        var client = !string.IsNullOrWhiteSpace(clientId) ? clientId!.Trim() : environment.GetVariable(EnvironmentVariables.OidcClientId)?.Trim();
        if (string.IsNullOrEmpty(client))
        {
            throw new NaraAuthException("OidcClientIdMissing", NaraErrorCategory.InvalidArgument,
                $"No client id was given: pass -ClientId or set {EnvironmentVariables.OidcClientId}.",
                "Use the public client id registered for command-line logins at the identity provider.", EnvironmentVariables.OidcClientId);
        }
        var list = (scopes ?? Array.Empty<string>()).SelectMany(s => s.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (list.Count == 0)
            list = (environment.GetVariable(EnvironmentVariables.OidcScopes) ?? DefaultScopes).Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries).ToList();
        // An ID token is only issued for "openid".
        if (!list.Contains("openid")) list.Insert(0, "openid");
        return new OidcSettings(issuer, client!, list.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>True when neither the parameter nor OIDC_CLIENT_ID names a client.</summary>
    public static bool NoClientId(string? clientId, IEnvironment environment) =>
        string.IsNullOrWhiteSpace(clientId) && string.IsNullOrWhiteSpace(environment.GetVariable(EnvironmentVariables.OidcClientId));

    /// <summary>The issuer: -Authority, else OIDC_ISSUER_URL; https except loopback.</summary>
    public static Uri ResolveAuthority(string? authority, IEnvironment environment)
    {
        // An -Authority of blanks is refused as such, never replaced by the environment's provider.
        if (authority != null) BaseUrlPolicy.Parse(authority, "-Authority");
        var issuerText = authority ?? environment.GetVariable(EnvironmentVariables.OidcIssuerUrl);
        var setting = authority != null ? "-Authority" : EnvironmentVariables.OidcIssuerUrl;
        if (string.IsNullOrWhiteSpace(issuerText))
        {
            throw new NaraAuthException("OidcAuthorityMissing", NaraErrorCategory.InvalidArgument,
                $"No identity provider was given: pass -Authority or set {EnvironmentVariables.OidcIssuerUrl}.",
                "For example: -Authority https://idp.example.com/application/o/edgeplane/", EnvironmentVariables.OidcIssuerUrl);
        }
        // Same rule as every base URL: https, except loopback for local providers.
        BaseUrlPolicy.Parse(issuerText, setting);
        return new Uri(issuerText!.Trim());
    }
}
