using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>
/// The client credentials grant (RFC 6749 4.4) for a client with no person: a pipeline, a service.
/// The client proves itself with a secret (HTTP Basic, or client_secret_post when the provider
/// says Basic is not supported), a certificate (private_key_jwt, RFC 7523), a JWT it already holds
/// or the CI job's own ID token (both as the client assertion). The result is saved as every
/// direct OIDC session is, with the method and its non-secret parameters instead of an ID token;
/// a later call with the same credential reuses it while it stays valid for -MinimumValidity and
/// otherwise gets a new token the same way (docs/decisions/client-credentials.md).
/// </summary>
public sealed class ClientCredentialsLogin
{
    /// <summary>What the session file's name is derived from besides issuer, client and scopes: no person's login shares it.</summary>
    public const string PathKeyPrefix = "grant=client_credentials ";

    private readonly CoreContext _context;
    private readonly OidcSettings _settings;
    private readonly ClientCredentialsRequest _request;
    private readonly IReporter _reporter;

    public ClientCredentialsLogin(CoreContext context, string? authority, string? clientId, ClientCredentialsRequest request, IReporter? reporter = null)
    {
        // Contradictory credentials (a secret and a certificate, say) are refused before anything is resolved or confirmed.
        _ = request.Method;
        _context = context;
        // Issuer and client resolve as for every direct login (parameters, then OIDC_ISSUER_URL and
        // OIDC_CLIENT_ID); the scopes are only the ones given: no openid, there is no person.
        var resolved = OidcSettings.Resolve(authority, clientId, new[] { "openid" }, context.Environment);
        _settings = new OidcSettings(resolved.Authority, resolved.ClientId, request.Scopes);
        _request = request;
        _reporter = reporter ?? Reporter.None;
        Path = PathFor(context.Environment, _settings.Authority.AbsoluteUri, _settings.ClientId, _settings.Scope);
    }

    public static string PathFor(IEnvironment environment, string issuer, string clientId, string scope) =>
        OidcSession.PathFor(environment, issuer, clientId, PathKeyPrefix + scope);

    public string Path { get; }
    public Uri Authority => _settings.Authority;
    public string ClientId => _settings.ClientId;

    /// <summary>A saved token is reused only while it stays valid at least this long.</summary>
    public TimeSpan MinimumValidity { get; set; } = OidcLogin.ReuseMargin;

    /// <summary>The question for -WhatIf and -Confirm.</summary>
    public string Action => $"Get an access token from {Authority} as client '{ClientId}' (or reuse the saved one) and save it";

    /// <summary>Reuses the saved token or gets a new one, and tells the person until when it holds.</summary>
    public async Task<OidcLoginResult> LoginAsync(bool force, CancellationToken cancellationToken)
    {
        var result = await GetTokenAsync(force, cancellationToken).ConfigureAwait(false);
        var session = result.Session;
        _reporter.Information($"Logged in to {session.Issuer} as client {session.ClientId} until {TimeText.Of(session.ExpiresAt)} ({result.Source}).");
        return result;
    }

    private async Task<OidcLoginResult> GetTokenAsync(bool force, CancellationToken cancellationToken)
    {
        var method = _request.Method;
        // Masked wherever a server or a library might quote them back, even inside another text.
        KnownSecrets.Remember(_request.ClientSecret);
        KnownSecrets.Remember(_request.FederatedToken);
        // A certificate is read (and checked) before anything goes on the wire.
        using var loaded = _request.CertificatePath != null ? ClientCertificateFile.Load(_context.Store, _request.CertificatePath, _request.CertificatePassword) : null;
        var certificate = loaded ?? _request.Certificate;
        var jobs = new CiJobToken(_context.Environment, _reporter);
        var grant = Describe(method, certificate, jobs);

        _reporter.Verbose($"Reading the discovery document of {_settings.Authority}.");
        var provider = await OidcProviderMetadata.FetchAsync(_settings.Authority, cancellationToken, _reporter).ConfigureAwait(false);
        if (ReuseSaved(provider, grant, force) is { } saved) return saved;

        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (_settings.Scopes.Count > 0) form["scope"] = _settings.Scope;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (method)
        {
            case ClientCredentialMethod.ClientSecret:
                var how = ClientSecretAuthentication.Choose(provider.TokenEndpointAuthMethods);
                _reporter.Verbose($"Authenticating client '{_settings.ClientId}' with its secret ({(how == ClientSecretMethod.Basic ? ClientSecretAuthentication.BasicName : ClientSecretAuthentication.PostName)}).");
                ClientSecretAuthentication.Apply(how, _settings.ClientId, _request.ClientSecret!, form, headers);
                break;
            case ClientCredentialMethod.Certificate:
                _reporter.Verbose($"Authenticating client '{_settings.ClientId}' with a client assertion signed by certificate {certificate!.Thumbprint} (private_key_jwt, aud = the token endpoint).");
                AddAssertion(form, SignAssertion(provider.TokenEndpoint.AbsoluteUri, ClientAssertionProfile.TokenEndpoint, certificate));
                break;
            case ClientCredentialMethod.FederatedToken:
                _reporter.Verbose($"Authenticating client '{_settings.ClientId}' with the federated token as its client assertion.");
                AddAssertion(form, _request.FederatedToken!.Trim());
                break;
            default:
                var jobToken = await jobs.FetchAsync(grant.CiSystem!, grant.ServiceConnectionId, grant.Audience, cancellationToken).ConfigureAwait(false);
                _reporter.Verbose($"Authenticating client '{_settings.ClientId}' with the {grant.CiSystem} job's ID token as its client assertion.");
                AddAssertion(form, jobToken);
                break;
        }

        var response = await OidcHttp.PostFormAsync(provider.TokenEndpoint, form, cancellationToken, headers: headers).ConfigureAwait(false);
        if (method == ClientCredentialMethod.Certificate && response.StatusCode is 400 or 401 && response.ErrorCode == "invalid_client")
        {
            // Strict providers follow draft-ietf-oauth-rfc7523bis: the issuer as the only audience
            // and an explicit typ. A refused token request created nothing, so one more assertion
            // (a new jti) in that profile is safe (docs/decisions/client-credentials.md).
            _reporter.Verbose("The provider refused the assertion addressed to its token endpoint (invalid_client); trying once more with the issuer as audience (draft-ietf-oauth-rfc7523bis).");
            AddAssertion(form, SignAssertion(provider.Issuer, ClientAssertionProfile.Issuer, certificate!));
            response = await OidcHttp.PostFormAsync(provider.TokenEndpoint, form, cancellationToken, headers: headers).ConfigureAwait(false);
        }
        if (!response.IsSuccess) throw Refused(response, method);
        var tokens = OidcTokens.ParseAccessToken(response, _context.Clock.UtcNow);
        var identity = new OidcIdentity(_settings.ClientId, null, null, provider.Issuer, null);
        var session = new OidcSession(provider.Issuer, _settings.ClientId, _settings.Scope, identity, tokens, _context.Clock.UtcNow, null, grant);
        // Ctrl+C before this point leaves the disk as it was.
        cancellationToken.ThrowIfCancellationRequested();
        session.Write(_context.Store, Path);
        _reporter.Verbose($"Saved the access token to '{Path}' (owner-only; the credential itself is not saved).");
        return new OidcLoginResult(session, Path, OidcLoginSource.ClientCredentials);
    }

    private ClientCredentialGrant Describe(ClientCredentialMethod method, X509Certificate2? certificate, CiJobToken jobs)
    {
        switch (method)
        {
            case ClientCredentialMethod.Certificate:
                return new ClientCredentialGrant(method, certificateThumbprint: Thumbprint(certificate!), certificatePath: _request.CertificatePath);
            case ClientCredentialMethod.WorkloadIdentity:
                var system = jobs.DetectSystem();
                return system == CiJobToken.AzurePipelines
                    ? new ClientCredentialGrant(method, ciSystem: system, serviceConnectionId: _request.ServiceConnectionId?.Trim())
                    : new ClientCredentialGrant(method, ciSystem: system, audience: _request.Audience ?? CiJobToken.DefaultGitHubAudience);
            default:
                return new ClientCredentialGrant(method);
        }
    }

    /// <summary>Kept out of line: IdentityModel loads only when a certificate signs an assertion.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private string SignAssertion(string audience, ClientAssertionProfile profile, X509Certificate2 certificate) =>
        ClientAssertion.Create(_settings.ClientId, audience, profile, certificate, _context.Clock.UtcNow);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Thumbprint(X509Certificate2 certificate) => ClientAssertion.Thumbprint(certificate);

    private void AddAssertion(IDictionary<string, string> form, string assertion)
    {
        form["client_id"] = _settings.ClientId;
        form["client_assertion_type"] = ClientAssertion.JwtBearerType;
        form["client_assertion"] = assertion;
    }

    private OidcLoginResult? ReuseSaved(OidcProviderMetadata provider, ClientCredentialGrant grant, bool force)
    {
        if (force)
        {
            _reporter.Verbose("-Force: the saved access token is not reused.");
            return null;
        }
        var saved = OidcSession.TryRead(_context.Store, Path, out var problem);
        if (problem != null) _reporter.Warning(problem);
        if (saved == null)
        {
            _reporter.Verbose($"No saved access token for this issuer, client and scopes at '{Path}'.");
            return null;
        }
        if (!string.Equals(saved.Issuer.TrimEnd('/'), provider.Issuer.TrimEnd('/'), StringComparison.Ordinal) || saved.ClientId != _settings.ClientId || !grant.Equals(saved.Grant))
        {
            _reporter.Verbose($"The saved access token at '{Path}' was obtained another way ({saved.Grant?.Description ?? "a person's login"}); a new one is requested with {grant.Description}.");
            return null;
        }
        var now = _context.Clock.UtcNow;
        if (!saved.IsValidFor(now, MinimumValidity))
        {
            _reporter.Verbose(saved.ExpiresAt is { } at
                ? $"The saved access token {(at <= now ? "expired" : "expires")} at {at:u}, within the {DurationText.Of(MinimumValidity)} margin; a new one is requested with {grant.Description}."
                : "The saved access token has no known expiry; a new one is requested.");
            return null;
        }
        _reporter.Verbose($"Reusing the saved access token of client '{saved.ClientId}' from '{Path}' (valid until {saved.ExpiresAt:u}).");
        return new OidcLoginResult(saved, Path, OidcLoginSource.Saved);
    }

    private NaraAuthException Refused(Http.ApiResponse response, ClientCredentialMethod method)
    {
        var code = response.ErrorCode;
        var reason = response.ServerReason;
        var action = code switch
        {
            "invalid_client" => method switch
            {
                ClientCredentialMethod.ClientSecret => "Check -ClientId and the client secret registered at the provider (it may have expired).",
                ClientCredentialMethod.Certificate => "Check that the certificate (or its public key) is registered for this client at the provider.",
                _ => "Check that the provider trusts this token for the client: the federated credential's issuer, subject and audience must match it.",
            },
            "invalid_scope" => "Ask only for scopes granted to this client (-Scopes).",
            "unauthorized_client" => "Allow the client_credentials grant for this client at the provider.",
            _ => "Check the client's registration at the identity provider.",
        };
        return new NaraAuthException("OidcClientCredentialsRefused", NaraErrorCategory.AuthenticationError,
            $"The identity provider refused the client credentials of '{_settings.ClientId}' (HTTP {response.StatusCode}{(code != null ? ", " + code : string.Empty)}){(reason != null && reason != code ? ": " + reason : ".")}",
            action, _settings.Authority.ToString()) { IsTransient = response.StatusCode >= 500 };
    }
}
