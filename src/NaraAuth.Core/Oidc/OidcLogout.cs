using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Oidc;

/// <summary>
/// Ends a saved login at its provider before the files go: the refresh token (else the access
/// token) at the advertised revocation_endpoint (RFC 7009) and the provider's session at the
/// advertised end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0). Only what discovery
/// advertises is called. Nothing here throws: a provider that fails is a problem in the result,
/// since the local removal goes on regardless.
/// </summary>
public sealed class OidcLogout
{
    /// <summary>
    /// Revocation is idempotent (RFC 7009 2.2: revoking an unknown or revoked token is no error),
    /// so a lost answer may be retried, a little: a logout should not hang on a provider.
    /// </summary>
    public static RetryOptions Retry => new() { MaxRetries = 2, Budget = TimeSpan.FromSeconds(20), MaxDelay = TimeSpan.FromSeconds(10) };

    private readonly IReporter _reporter;

    public OidcLogout(IReporter reporter) => _reporter = reporter;

    /// <summary>
    /// Ends the saved login at <paramref name="sessionPath"/> at its provider: its refresh token
    /// comes from the session file (device code) or MSAL's cache beside it (browser login). Null
    /// when there is no readable OIDC session there (e.g. the EdgePlane session), so nothing to end.
    /// </summary>
    public async Task<OidcLogoutResult?> EndSavedLoginAsync(Storage.SecureFileStore store, string sessionPath, CancellationToken cancellationToken)
    {
        var session = OidcSession.TryRead(store, sessionPath, out _);
        if (session == null) return null;
        var refreshToken = session.Tokens.RefreshToken
            ?? Msal.MsalCacheRefreshToken.Find(store, OidcLogin.MsalCachePathFor(sessionPath), session.ClientId, session.AccountId);
        return await EndAsync(session, refreshToken, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="refreshToken">The login's refresh token, from the session file or MSAL's cache; null when it has none.</param>
    public async Task<OidcLogoutResult> EndAsync(OidcSession session, string? refreshToken, CancellationToken cancellationToken)
    {
        var result = new OidcLogoutResult();
        var problems = new List<string>();
        OidcProviderMetadata metadata;
        try
        {
            metadata = await OidcProviderMetadata.FetchAsync(new Uri(session.Issuer), cancellationToken, _reporter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NaraAuthException || e is UriFormatException)
        {
            result.Problem = $"The provider's discovery document could not be read, so nothing was revoked there: {e.Message}";
            return result;
        }

        var (token, hint, kind) = refreshToken != null
            ? (refreshToken, "refresh_token", RevokedAtProvider.RefreshToken)
            : (session.Tokens.AccessToken, "access_token", RevokedAtProvider.AccessToken);
        if (metadata.RevocationEndpoint is { } revocation && token != null)
        {
            var problem = await RevokeAsync(revocation, token, hint, session.ClientId, cancellationToken).ConfigureAwait(false);
            if (problem == null) result.Revoked.Add(kind);
            else problems.Add(problem);
        }
        else if (token != null)
        {
            _reporter.Verbose("The provider advertises no revocation_endpoint; its tokens stay valid there until they expire.");
        }

        if (metadata.EndSessionEndpoint is { } endSession && session.Tokens.IdToken != null)
        {
            var problem = await EndSessionAsync(endSession, session.Tokens.IdToken, session.ClientId, cancellationToken).ConfigureAwait(false);
            if (problem == null) result.Revoked.Add(RevokedAtProvider.Session);
            else problems.Add(problem);
        }
        if (problems.Count > 0) result.Problem = string.Join(" ", problems);
        return result;
    }

    private async Task<string?> RevokeAsync(Uri endpoint, string token, string hint, string clientId, CancellationToken cancellationToken)
    {
        var request = new ApiRequest(HttpMethod.Post, endpoint.PathAndQuery)
        {
            Form = new Dictionary<string, string> { ["token"] = token, ["token_type_hint"] = hint, ["client_id"] = clientId },
            RetryUnsafe = true,
        };
        try
        {
            SafeUri.RefuseUserInfo(endpoint, "the identity provider's revocation_endpoint");
            var response = await new ApiClient(new Uri(SafeUri.Origin(endpoint) + "/"), retry: Retry, reporter: _reporter).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                _reporter.Verbose($"The provider revoked the {hint.Replace('_', ' ')} at {SafeUri.WithoutQuery(endpoint)}.");
                return null;
            }
            return $"The provider's revocation_endpoint refused to revoke the {hint.Replace('_', ' ')} (HTTP {response.StatusCode}{Reason(response)}); it stays valid there until it expires.";
        }
        catch (NaraAuthException e)
        {
            return $"The {hint.Replace('_', ' ')} could not be revoked at the provider: {e.Message}";
        }
    }

    private async Task<string?> EndSessionAsync(Uri endpoint, string idToken, string clientId, CancellationToken cancellationToken)
    {
        var separator = string.IsNullOrEmpty(endpoint.Query) ? "?" : "&";
        var path = endpoint.PathAndQuery + separator + "id_token_hint=" + Uri.EscapeDataString(idToken) + "&client_id=" + Uri.EscapeDataString(clientId);
        var request = new ApiRequest(HttpMethod.Get, path).AddSecret(idToken);
        try
        {
            SafeUri.RefuseUserInfo(endpoint, "the identity provider's end_session_endpoint");
            var response = await new ApiClient(new Uri(SafeUri.Origin(endpoint) + "/"), retry: Retry, reporter: _reporter).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess) return null;
            return $"The provider's end_session_endpoint refused the logout (HTTP {response.StatusCode}{Reason(response)}).";
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.RedirectRefused)
        {
            // Providers answer a logout with a redirect to their signed-out page: the session is
            // ended, and the page is for a browser, so it is not followed.
            return null;
        }
        catch (NaraAuthException e)
        {
            return $"The session could not be ended at the provider: {e.Message}";
        }
    }

    private static string Reason(ApiResponse response) =>
        response.ErrorCode is { } code ? ": " + code + (response.ServerReason is { } why && why != code ? " - " + why : string.Empty) : string.Empty;
}
