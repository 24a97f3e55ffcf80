using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.Extensibility;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Oidc.Browser;

namespace NaraAuth.Core.Oidc.Msal;

/// <summary>
/// Interactive authorization code + PKCE login through MSAL against a generic OIDC authority, with
/// the system browser and a loopback redirect on http://127.0.0.1 (any port, RFC 8252). The only
/// class that names MSAL types: it is reached only from OidcLogin.RunMsalAsync, so MSAL loads
/// only when this mode runs. Facts from the prototype: MSAL needs an https authority; a public
/// client needs WithOidcAuthority plus WithExperimentalFeatures(); MSAL's default
/// prompt=select_account is refused by strict providers, so no prompt is sent (the provider's
/// own session decides whether to ask). MSAL's token cache (holding the refresh token) is kept
/// in an owner-only file and used silently before the browser is opened.
/// </summary>
internal static class MsalInteractiveLogin
{
    private static readonly string[] ReservedScopes = { "openid", "profile", "offline_access" };

    public static async Task<(OidcTokens Tokens, bool Silent)> RunAsync(CoreContext context, OidcSettings settings, OidcProviderMetadata provider,
        IBrowserLauncher browser, string cachePath, bool force, CancellationToken cancellationToken)
    {
        if (!string.Equals(settings.Authority.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            throw new NaraAuthException("OidcInteractiveNeedsHttps", NaraErrorCategory.InvalidArgument,
                $"Browser login needs an https identity provider; '{settings.Authority}' is http.",
                "Use the provider's https issuer URL, or log in with -UseDeviceCode.", settings.Authority.ToString());
        }

        // WithExperimentalFeatures must come first: WithOidcAuthority checks it when called.
        using var listener = new LoopbackRedirectListener();
        var app = PublicClientApplicationBuilder.Create(settings.ClientId)
            .WithExperimentalFeatures()
            .WithOidcAuthority(provider.Issuer)
            // MSAL's own listener turns a port-less loopback redirect into http://localhost:<port>
            // and only answers Host: localhost; RFC 8252 8.3 prefers the IP literal, so NaraAuth
            // listens on 127.0.0.1 itself (LoopbackRedirectListener) through a custom web UI.
            .WithRedirectUri(listener.RedirectUri.AbsoluteUri)
            .WithHttpClientFactory(new SharedHttpClientFactory())
            .Build();
        BindCache(app.UserTokenCache, context, cachePath);

        // MSAL adds openid, profile and offline_access itself and refuses them as user scopes.
        var scopes = settings.Scopes.Where(s => !ReservedScopes.Contains(s, StringComparer.Ordinal)).ToArray();

        if (!force)
        {
            var account = (await app.GetAccountsAsync().ConfigureAwait(false)).FirstOrDefault();
            if (account != null)
            {
                try
                {
                    var silent = await app.AcquireTokenSilent(scopes, account).WithForceRefresh(true).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                    if (!string.IsNullOrEmpty(silent.IdToken)) return (ToTokens(silent), true);
                }
                catch (MsalException)
                {
                    // No usable refresh token (expired, revoked, or the provider does not issue
                    // one): the person logs in in the browser below.
                }
            }
        }

        AuthenticationResult result;
        try
        {
            result = await app.AcquireTokenInteractive(scopes)
                .WithPrompt(Prompt.NoPrompt)
                .WithCustomWebUi(new LoopbackWebUi(browser, listener))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MsalClientException e) when (e.ErrorCode == MsalError.StateMismatchError)
        {
            throw new NaraAuthException("OidcStateMismatch", NaraErrorCategory.SecurityError,
                "The browser came back with a different 'state' than this login sent; the answer was refused (possible cross-site request forgery).",
                "Log in again; if it repeats, report it to the identity provider's administrators.");
        }
        catch (MsalServiceException e)
        {
            throw new NaraAuthException("OidcAuthorizationFailed", NaraErrorCategory.AuthenticationError,
                $"The identity provider refused the login ({e.ErrorCode}): {Brief(e.Message)}",
                "Check -ClientId and the client's redirect settings at the provider (a loopback redirect http://127.0.0.1 with any port).", null, e);
        }
        catch (MsalClientException e) when (e.ErrorCode == MsalError.AuthenticationCanceledError)
        {
            throw new OperationCanceledException("The login was cancelled.", e);
        }
        catch (MsalClientException e)
        {
            throw new NaraAuthException("OidcInteractiveLoginFailed", NaraErrorCategory.AuthenticationError,
                $"The browser login did not complete ({e.ErrorCode}): {Brief(e.Message)}", "Try again, or use -UseDeviceCode.", null, e);
        }
        if (string.IsNullOrEmpty(result.IdToken))
        {
            throw new NaraAuthException("OidcNoIdToken", NaraErrorCategory.ProtocolError,
                "The identity provider's token response has no id_token.", "Make sure the client may use the 'openid' scope.");
        }
        return (ToTokens(result), false);
    }

    /// <summary>Opens the system browser at the authorize URL and waits for the loopback redirect.</summary>
    private sealed class LoopbackWebUi : ICustomWebUi
    {
        private const string Success = "<!doctype html><html><body><h1>Logged in</h1><p>You can close this window and return to PowerShell.</p></body></html>";
        private const string Failure = "<!doctype html><html><body><h1>Login failed</h1><p>Return to PowerShell for details.</p></body></html>";
        private readonly IBrowserLauncher _browser;
        private readonly LoopbackRedirectListener _listener;

        public LoopbackWebUi(IBrowserLauncher browser, LoopbackRedirectListener listener)
        {
            _browser = browser;
            _listener = listener;
        }

        public Task<Uri> AcquireAuthorizationCodeAsync(Uri authorizationUri, Uri redirectUri, CancellationToken cancellationToken)
        {
            var launch = _browser.Open(authorizationUri.AbsoluteUri);
            if (!launch.Started)
            {
                throw new NaraAuthException("BrowserNotAvailable", NaraErrorCategory.ResourceUnavailable,
                    $"Could not open a browser for the login: {launch.Description}.",
                    "Run on a machine with a browser, pass -NoBrowser to open the URL yourself, or use -UseDeviceCode.");
            }
            return _listener.WaitForRedirectAsync(Success, Failure, cancellationToken);
        }
    }

    /// <summary>MSAL's explanation, first line only and capped (it names endpoints and error codes, never tokens).</summary>
    private static string Brief(string message)
    {
        var line = (message ?? string.Empty).Split('\n')[0].Trim();
        return line.Length > 300 ? line.Substring(0, 300) + "..." : line;
    }

    private static OidcTokens ToTokens(AuthenticationResult result) =>
        // The refresh token stays inside MSAL's owner-only cache file.
        new(result.IdToken, result.AccessToken, null, result.ExpiresOn);

    private static void BindCache(ITokenCache cache, CoreContext context, string path)
    {
        cache.SetBeforeAccess(args =>
        {
            if (!File.Exists(path)) return;
            try
            {
                args.TokenCache.DeserializeMsalV3(context.Store.ReadAllBytes(path, out _), shouldClearExistingCache: true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is MsalException)
            {
                // An unreadable cache only costs a browser login.
            }
        });
        cache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged) context.Store.WriteAllBytes(path, args.TokenCache.SerializeMsalV3());
        });
    }

    /// <summary>MSAL uses the module's one HttpClient (proxy settings, TLS setup, connection reuse).</summary>
    private sealed class SharedHttpClientFactory : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => SharedHttpClient.Get();
    }
}
