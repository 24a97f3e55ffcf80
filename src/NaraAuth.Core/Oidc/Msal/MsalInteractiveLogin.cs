using NaraAuth.Core.Text;
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
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Oidc.Msal;

/// <summary>
/// Interactive authorization code + PKCE login through MSAL against a generic OIDC authority, with
/// the system browser and a loopback redirect on http://127.0.0.1 (any port, RFC 8252). The only
/// class that names MSAL types: it is reached only from OidcLogin.RunMsalAsync, so MSAL loads
/// only when this mode runs. What MSAL 4.92 requires: an https authority; a public
/// client needs WithOidcAuthority plus WithExperimentalFeatures(); MSAL's default
/// prompt=select_account is refused by strict providers, so no prompt is sent (the provider's
/// own session decides whether to ask). MSAL's token cache (holding the refresh token) is kept
/// in an owner-only file and used silently before the browser is opened.
/// </summary>
internal static class MsalInteractiveLogin
{
    private static readonly string[] ReservedScopes = { "openid", "profile", "offline_access" };

    public static async Task<BrowserLoginOutcome> RunAsync(CoreContext context, OidcSettings settings, OidcProviderMetadata provider,
        BrowserLoginOptions options, LoopbackRedirectListener listener, string cachePath, OidcSession? bound, IReporter reporter, CancellationToken cancellationToken)
    {
        if (!string.Equals(settings.Authority.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            throw new NaraAuthException("OidcInteractiveNeedsHttps", NaraErrorCategory.InvalidArgument,
                $"Browser login needs an https identity provider; '{settings.Authority}' is http.",
                "Use the provider's https issuer URL, or log in with -UseDeviceCode.", settings.Authority.ToString());
        }

        // WithExperimentalFeatures must come first: WithOidcAuthority checks it when called.
        var app = PublicClientApplicationBuilder.Create(settings.ClientId)
            .WithExperimentalFeatures()
            .WithOidcAuthority(provider.Issuer)
            // MSAL's own listener turns a port-less loopback redirect into http://localhost:<port>
            // and only answers Host: localhost; RFC 8252 8.3 prefers the IP literal, so NaraAuth
            // listens on 127.0.0.1 itself (LoopbackRedirectListener) through a custom web UI.
            .WithRedirectUri(listener.RedirectUri.AbsoluteUri)
            .WithHttpClientFactory(new SharedHttpClientFactory(NetworkSettings.Current))
            .Build();
        var cache = new PendingCache();
        BindCache(app.UserTokenCache, context, cachePath, cache);

        // MSAL adds openid, profile and offline_access itself and refuses them as user scopes.
        var scopes = settings.Scopes.Where(s => !ReservedScopes.Contains(s, StringComparer.Ordinal)).ToArray();
        var accounts = (await app.GetAccountsAsync().ConfigureAwait(false)).ToList();

        if (bound != null)
        {
            // Only the saved session's own account: MSAL's first account may be someone else
            // who logged in here before (the cache file outlives a -Force login of another person).
            var account = accounts.FirstOrDefault(a => IsAccountOf(a, bound));
            if (account == null)
            {
                reporter.Verbose($"MSAL's cache holds no refresh token for {bound.Identity.Subject}, so the session cannot be refreshed silently.");
            }
            else
            {
                try
                {
                    var silent = await app.AcquireTokenSilent(scopes, account).WithForceRefresh(true).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                    if (!string.IsNullOrEmpty(silent.IdToken))
                        return new BrowserLoginOutcome(ToTokens(silent), silent.Account?.HomeAccountId?.Identifier, true) { PendingCache = cache.Bytes };
                    reporter.Verbose("The silent refresh brought no ID token; a browser login is needed.");
                }
                catch (MsalException e)
                {
                    // Expired, revoked, or the provider issues no refresh token: the person logs in below.
                    reporter.Verbose($"The silent refresh for {bound.Identity.Subject} did not work ({e.ErrorCode}); a browser login is needed.");
                }
            }
        }

        if (options.NonInteractiveReason is { } why) throw options.NotInteractive(why);

        AuthenticationResult result;
        try
        {
            // OpenID Connect Core 11: a provider that follows the spec ignores offline_access unless
            // the person is asked (prompt=consent), and then issues no refresh token.
            result = await app.AcquireTokenInteractive(scopes)
                .WithPrompt(settings.AsksForRefreshToken ? Prompt.Consent : Prompt.NoPrompt)
                .WithCustomWebUi(new LoopbackWebUi(options, listener, provider, settings.ClientId, reporter))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Unwrap(e) is NaraAuthException own)
        {
            // Raised by the web UI below (timeout, denial, RFC 9207 issuer, no browser).
            throw own;
        }
        catch (MsalClientException e) when (e.ErrorCode == MsalError.StateMismatchError)
        {
            throw new NaraAuthException("OidcStateMismatch", NaraErrorCategory.SecurityError,
                "The browser came back with a different 'state' than this login sent; the answer was refused (possible cross-site request forgery).",
                "Log in again; if it repeats, report it to the identity provider's administrators.");
        }
        catch (MsalServiceException e) when (e.ErrorCode == "access_denied")
        {
            throw AccessDenied();
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
        // The session file names one account; refresh tokens of earlier accounts in this cache
        // could never be used again, so they are removed instead of kept on disk.
        var current = result.Account?.HomeAccountId?.Identifier;
        foreach (var other in accounts.Where(a => a.HomeAccountId?.Identifier != current))
            await app.RemoveAsync(other).ConfigureAwait(false);
        return new BrowserLoginOutcome(ToTokens(result), current, false) { PendingCache = cache.Bytes };
    }

    /// <summary>The saved home account id, or for sessions saved before it was recorded, the subject.</summary>
    private static bool IsAccountOf(IAccount account, OidcSession bound) =>
        bound.AccountId != null
            ? string.Equals(account.HomeAccountId?.Identifier, bound.AccountId, StringComparison.Ordinal)
            : string.Equals(account.HomeAccountId?.ObjectId, bound.Identity.Subject, StringComparison.Ordinal);

    private static Exception Unwrap(Exception e)
    {
        while (e is not NaraAuthException && e.InnerException != null) e = e.InnerException;
        return e;
    }

    internal static NaraAuthException AccessDenied() =>
        new("OidcAccessDenied", NaraErrorCategory.PermissionDenied,
            "The login was denied or cancelled at the identity provider.", "Run the login again and approve it, or ask for access to the application.");

    /// <summary>Opens the browser at the authorize URL and waits, bounded and visibly, for the loopback redirect.</summary>
    private sealed class LoopbackWebUi : ICustomWebUi
    {
        private readonly BrowserLoginOptions _options;
        private readonly LoopbackRedirectListener _listener;
        private readonly OidcProviderMetadata _provider;
        private readonly string _clientId;
        private readonly IReporter _reporter;

        public LoopbackWebUi(BrowserLoginOptions options, LoopbackRedirectListener listener, OidcProviderMetadata provider, string clientId, IReporter reporter)
        {
            _options = options;
            _listener = listener;
            _provider = provider;
            _clientId = clientId;
            _reporter = reporter;
        }

        public async Task<Uri> AcquireAuthorizationCodeAsync(Uri authorizationUri, Uri redirectUri, CancellationToken cancellationToken)
        {
            // The redirect comes back to a loopback port: only a browser on this machine can finish it.
            var page = new BrowserPromptPage(_provider.Issuer.TrimEnd('/'), authorizationUri.AbsoluteUri) { OnThisMachineOnly = true, UrlOnlyWhenNotOpened = true };
            var prompt = new BrowserPrompt(_options.Browser, _reporter, _options.PrintUrlOnly);
            if (_options.PrintUrlOnly)
            {
                prompt.ShowByHand(page, null);
            }
            else
            {
                var launch = _options.Browser.Open(authorizationUri.AbsoluteUri);
                if (!launch.Started)
                {
                    throw new NaraAuthException(ErrorIds.BrowserNotAvailable, NaraErrorCategory.ResourceUnavailable,
                        $"Could not open a browser for the login: {launch.Description}.",
                        "Run on a machine with a browser, pass -NoBrowser to open the URL yourself, or use -UseDeviceCode.");
                }
                prompt.ShowOpened(page, launch.Description);
            }
            _reporter.Information($"Waiting up to {Text.DurationText.Clock(_options.LoginTimeout)} for the login to finish in the browser; Ctrl+C stops.");

            // Only the answer to this request ends the wait: MSAL's state is in the authorize URL.
            _listener.ExpectedState = LoopbackRedirectListener.StateOf(authorizationUri);
            var waiting = _listener.WaitForRedirectAsync(cancellationToken);
            var total = _options.LoginTimeout;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!waiting.IsCompleted)
            {
                var left = total - clock.Elapsed;
                if (left <= TimeSpan.Zero) throw TimedOut(total);
                _reporter.Countdown("OIDC browser login", "Waiting for the login in the browser", left, total);
                var tick = left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
                await Task.WhenAny(waiting, Task.Delay(tick, cancellationToken)).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    // The loopback listener closes with the wait: the page's answer finds nobody.
                    _reporter.Information(BrowserPrompt.CancelledLine(page.Service, pageCanStillFinish: false));
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            var answer = await waiting.ConfigureAwait(false);
            Check(answer);
            return answer;
        }

        /// <summary>The provider's error, and RFC 9207's issuer, are judged here with NaraAuth's own error ids.</summary>
        private void Check(Uri answer)
        {
            var query = ParseQuery(answer.Query);
            if (_provider.IssInAuthorizationResponse)
            {
                query.TryGetValue("iss", out var iss);
                if (!string.Equals(iss, _provider.Issuer, StringComparison.Ordinal))
                {
                    throw new NaraAuthException("OidcRedirectIssuerMismatch", NaraErrorCategory.SecurityError,
                        iss == null
                            ? $"The provider promises an 'iss' on every login answer (RFC 9207), but this one has none; it may come from another provider (mix-up attack)."
                            : $"The login answer says it comes from '{iss}', not from '{_provider.Issuer}' (RFC 9207); it was refused (possible mix-up attack).",
                        "Log in again; if it repeats, report it to the identity provider's administrators.");
                }
            }
            if (query.TryGetValue("error", out var error))
            {
                if (error == "access_denied") throw AccessDenied();
                query.TryGetValue("error_description", out var description);
                throw new NaraAuthException("OidcAuthorizationFailed", NaraErrorCategory.AuthenticationError,
                    $"The identity provider refused the login ({Brief(error)}){(string.IsNullOrEmpty(description) ? "." : ": " + Brief(description!))}",
                    $"Check -ClientId '{_clientId}' and the client's redirect settings at the provider (a loopback redirect http://127.0.0.1 with any port).");
            }
        }

        private NaraAuthException TimedOut(TimeSpan total) =>
            new("OidcBrowserLoginTimedOut", NaraErrorCategory.OperationTimeout,
                $"No login answer came back to {_listener.RedirectUri} within {DurationText.Of(total)}.",
                $"If the provider showed an error about the redirect URI, register http://127.0.0.1 (any port, RFC 8252) as a redirect URI of the client '{_clientId}'; otherwise log in again with a longer -LoginTimeoutSec, or use -UseDeviceCode.");
    }

    private static System.Collections.Generic.Dictionary<string, string> ParseQuery(string query)
    {
        var result = new System.Collections.Generic.Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((eq < 0 ? pair : pair.Substring(0, eq)).Replace('+', ' '));
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
            if (!result.ContainsKey(name)) result[name] = value;
        }
        return result;
    }

    /// <summary>MSAL's explanation, first line only and capped (it names endpoints and error codes, never tokens).</summary>
    private static string Brief(string message)
    {
        var line = (message ?? string.Empty).Split('\n')[0].Trim();
        return line.Length > 300 ? line.Substring(0, 300) + "..." : line;
    }

    private static OidcTokens ToTokens(AuthenticationResult result) =>
        // The refresh token stays inside MSAL's owner-only cache file.
        new(result.IdToken, result.AccessToken, null, result.ExpiresOn)
        {
            GrantedScope = result.Scopes?.Any() == true ? string.Join(" ", result.Scopes) : null,
        };

    /// <summary>The cache as MSAL last changed it during this login, kept in memory until the login is accepted.</summary>
    private sealed class PendingCache
    {
        public byte[]? Bytes { get; set; }
    }

    /// <summary>
    /// MSAL reads the file before each access, but writes only into <paramref name="pending"/>:
    /// the caller writes it after PowerShell has accepted the login. Later accesses within this
    /// login read the pending state, so nothing MSAL did in between is lost.
    /// </summary>
    private static void BindCache(ITokenCache cache, CoreContext context, string path, PendingCache pending)
    {
        cache.SetBeforeAccess(args =>
        {
            if (pending.Bytes != null)
            {
                args.TokenCache.DeserializeMsalV3(pending.Bytes, shouldClearExistingCache: true);
                return;
            }
            if (!File.Exists(path)) return;
            try
            {
                args.TokenCache.DeserializeMsalV3(context.Store.ReadAllBytes(path), shouldClearExistingCache: true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is MsalException)
            {
                // An unreadable cache only costs a browser login.
            }
        });
        cache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged) pending.Bytes = args.TokenCache.SerializeMsalV3();
        });
    }

    /// <summary>
    /// MSAL uses the module's one HttpClient for the call's proxy (-Proxy, -ProxyCredential), TLS
    /// setup and connection reuse, through <see cref="CodeRedemptionHandler"/>; each of its
    /// requests is bounded like every other request of the call (-TimeoutSec, else the request default).
    /// </summary>
    private sealed class SharedHttpClientFactory : IMsalHttpClientFactory
    {
        private readonly HttpClient _client;

        public SharedHttpClientFactory(NetworkSettings? network)
        {
            _client = new HttpClient(new CodeRedemptionHandler(network?.Proxy))
            {
                Timeout = RequestTimeouts.Of(network),
            };
        }

        public HttpClient GetHttpClient() => _client;
    }
}
