using NaraAuth.Core.Text;
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Oidc.Browser;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Oidc;

/// <summary>
/// Direct OIDC against the identity provider (docs/protocol.md 2.3): reuse a valid saved session, else
/// refresh it silently, else ask the person (device code here, browser with PKCE through MSAL);
/// validate the ID token; save owner-only. A refresh renews the saved session's own account and
/// no other; reuse and refresh go by whichever of the ID and access token expires first. Nothing
/// is written when validation fails or the login is cancelled. MSAL is only touched by
/// <see cref="LoginInteractiveAsync"/>, through a method that is never inlined, so Import-Module
/// and the device flow never load it.
/// </summary>
public sealed partial class OidcLogin
{
    /// <summary>A saved session is reused only when both its tokens stay valid at least this long.</summary>
    public static readonly TimeSpan ReuseMargin = TimeSpan.FromMinutes(5);

    private readonly CoreContext _context;
    private readonly OidcSettings _settings;
    private readonly IReporter _reporter;

    /// <param name="reporter">Hears what the login decided and why, the prompts for the person, and the countdown.</param>
    public OidcLogin(CoreContext context, OidcSettings settings, IReporter? reporter = null)
    {
        _context = context;
        _settings = settings;
        _reporter = reporter ?? Reporter.None;
        Path = OidcSession.PathFor(context.Environment, settings.Authority.AbsoluteUri, settings.ClientId, settings.Scope);
    }

    public string Path { get; }

    /// <summary>How long the saved session must stay valid to be reused without asking anyone.</summary>
    public TimeSpan MinimumValidity { get; set; } = ReuseMargin;

    /// <summary>The longest wait for a device code to be entered (-LoginTimeoutSec); null: <see cref="DeviceCodeFlow.DefaultMaxWait"/>.</summary>
    public TimeSpan? DeviceCodeMaxWait { get; set; }

    /// <param name="browser">Opens the device login page on this machine, unless <paramref name="noBrowser"/> (docs/decisions/browser-prompt.md).</param>
    public async Task<OidcLoginResult> LoginWithDeviceCodeAsync(bool force, IBrowserLauncher browser, bool noBrowser, CancellationToken cancellationToken)
    {
        var provider = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var saved = ReadSaved(provider, force);
        if (saved != null && await TryExistingAsync(provider, saved, refreshHere: true, cancellationToken).ConfigureAwait(false) is { } existing) return existing;
        return await DeviceCodeAsync(provider, new BrowserPrompt(browser, _reporter, noBrowser), cancellationToken).ConfigureAwait(false);
    }

    public async Task<OidcLoginResult> LoginInteractiveAsync(bool force, BrowserLoginOptions options, CancellationToken cancellationToken)
    {
        // Nobody to ask and no saved session that could be refreshed: refused before the
        // provider is even asked, so a pipeline learns it at once.
        if (options.NonInteractiveReason is { } nobody && (force || !System.IO.File.Exists(Path))) throw options.NotInteractive(nobody);
        var provider = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var saved = ReadSaved(provider, force);
        if (saved != null && await TryExistingAsync(provider, saved, refreshHere: false, cancellationToken).ConfigureAwait(false) is { } existing) return existing;
        // Nothing to refresh silently and nobody to ask: say so at once, before MSAL even loads.
        if (saved == null && options.NonInteractiveReason is { } why) throw options.NotInteractive(why);

        using var listener = new LoopbackRedirectListener(_reporter);
        BrowserLoginOutcome outcome;
        try
        {
            outcome = await RunMsalAsync(provider, options, listener, saved, cancellationToken).ConfigureAwait(false);
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.BrowserNotAvailable && !options.BrowserChosen && provider.DeviceAuthorizationEndpoint != null)
        {
            // As az login does: no browser here, so the code is shown for any device instead. The
            // prompt tries the browser once more for the device page and says why none opened.
            _reporter.Warning("The browser login needs a browser on this machine; logging in with a device code instead (pass -UseBrowser to fail instead).");
            _reporter.Verbose(e.Message);
            return await DeviceCodeAsync(provider, new BrowserPrompt(options.Browser, _reporter, options.PrintUrlOnly), cancellationToken).ConfigureAwait(false);
        }
        catch (NaraAuthException e)
        {
            await listener.ShowPageAsync(FinalPage.Failure("The login was refused", e.Message)).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            await listener.ShowPageAsync(FinalPage.Failure("The login was stopped", "The login was stopped in PowerShell (Ctrl+C).")).ConfigureAwait(false);
            throw;
        }

        try
        {
            var result = await CompleteAsync(provider, outcome.Tokens, outcome.Silent ? OidcLoginSource.Refreshed : OidcLoginSource.Interactive,
                outcome.Silent ? saved : null, outcome.AccountId, cancellationToken).ConfigureAwait(false);
            // Accepted and saved: only now do the login's refresh, access and ID tokens reach MSAL's cache file.
            if (outcome.PendingCache != null) _context.Store.WriteAllBytes(MsalCachePath, outcome.PendingCache);
            var who = result.Session.Identity;
            await listener.ShowPageAsync(FinalPage.Success(Describe(who), _settings.ClientId, result.Session.Issuer)).ConfigureAwait(false);
            return result;
        }
        catch (NaraAuthException e)
        {
            await listener.ShowPageAsync(FinalPage.Failure("PowerShell refused the login", e.Message)).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            await listener.ShowPageAsync(FinalPage.Failure("The login was stopped", "The login was stopped in PowerShell (Ctrl+C); nothing was saved.")).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>"Grace Hopper &lt;grace@example.com&gt;", else the e-mail, else the subject.</summary>
    public static string Describe(OidcIdentity who) =>
        who.Name != null && who.Email != null && who.Name != who.Email ? $"{who.Name} <{who.Email}>" : who.Email ?? who.Name ?? who.Subject;

    /// <summary>MSAL's token cache (with the refresh token), owner-only, beside the session file.</summary>
    public string MsalCachePath => MsalCachePathFor(Path);

    public static string MsalCachePathFor(string sessionPath) => System.IO.Path.ChangeExtension(sessionPath, ".msal.bin");

    /// <summary>The only door to MSAL: kept out of line so the JIT loads MSAL only when this runs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Task<BrowserLoginOutcome> RunMsalAsync(OidcProviderMetadata provider, BrowserLoginOptions options, LoopbackRedirectListener listener, OidcSession? bound, CancellationToken cancellationToken) =>
        Msal.MsalInteractiveLogin.RunAsync(_context, _settings, provider, options, listener, MsalCachePath, bound, _reporter, cancellationToken);

    private async Task<OidcLoginResult> DeviceCodeAsync(OidcProviderMetadata provider, BrowserPrompt prompt, CancellationToken cancellationToken)
    {
        var flow = new DeviceCodeFlow(provider, _settings, _context.Clock, _reporter, prompt) { MaxWait = DeviceCodeMaxWait ?? DeviceCodeFlow.DefaultMaxWait };
        var tokens = await flow.RunAsync(cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(provider, tokens, OidcLoginSource.DeviceCode, null, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OidcProviderMetadata> DiscoverAsync(CancellationToken cancellationToken)
    {
        _reporter.Verbose($"Reading the discovery document of {_settings.Authority}.");
        return await OidcProviderMetadata.FetchAsync(_settings.Authority, cancellationToken, _reporter).ConfigureAwait(false);
    }

    /// <summary>The saved session of this issuer and client, or null (with the reason in verbose).</summary>
    private OidcSession? ReadSaved(OidcProviderMetadata provider, bool force)
    {
        if (force)
        {
            _reporter.Verbose("-Force: the saved session is neither reused nor refreshed.");
            return null;
        }
        var saved = OidcSession.TryRead(_context.Store, Path, out var problem);
        if (problem != null) _reporter.Warning(problem);
        if (saved == null)
        {
            _reporter.Verbose($"No saved session for this issuer, client and scopes at '{Path}'; a new login is needed.");
            return null;
        }
        if (!string.Equals(saved.Issuer.TrimEnd('/'), provider.Issuer.TrimEnd('/'), StringComparison.Ordinal) || saved.ClientId != _settings.ClientId)
        {
            _reporter.Verbose($"The saved session at '{Path}' belongs to another issuer or client; a new login is needed.");
            return null;
        }
        return saved;
    }

    /// <summary>
    /// Reuses the saved session while both tokens stay valid, else refreshes it here with its
    /// refresh token (<paramref name="refreshHere"/>, device flow) or leaves the refresh to MSAL.
    /// </summary>
    private async Task<OidcLoginResult?> TryExistingAsync(OidcProviderMetadata provider, OidcSession saved, bool refreshHere, CancellationToken cancellationToken)
    {
        var now = _context.Clock.UtcNow;
        if (saved.IsValidFor(now, MinimumValidity))
        {
            _reporter.Verbose($"Reusing the saved session of {saved.Identity.Subject} from '{Path}' (valid until {TimeText.Of(saved.ExpiresAt)}).");
            return new OidcLoginResult(saved, Path, OidcLoginSource.Saved);
        }
        _reporter.Verbose($"The saved session's {saved.ExpiringToken} {(saved.ExpiresAt <= now ? "expired" : "expires")} at {TimeText.Of(saved.ExpiresAt)}, within the {DurationText.Of(MinimumValidity)} margin, so it is refreshed.");
        if (!refreshHere) return null;
        if (saved.Tokens.RefreshToken == null)
        {
            _reporter.Verbose("The saved session has no refresh token" + (_settings.AsksForRefreshToken
                ? " (the provider issued none although offline_access was asked for)"
                : $" (offline_access was not asked for: see -Scopes / {EnvironmentVariables.OidcScopes})") + ", so it cannot be refreshed silently; a new login is needed.");
            return null;
        }

        var response = await OidcHttp.PostFormAsync(provider.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = saved.Tokens.RefreshToken,
            ["client_id"] = _settings.ClientId,
            ["scope"] = _settings.Scope,
        }, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            // An expired or revoked refresh token is normal: the person logs in again.
            _reporter.Verbose($"The refresh was refused (HTTP {response.StatusCode}{(response.ErrorCode is { } c ? ", " + c : string.Empty)}); a new login is needed.");
            return null;
        }
        var tokens = OidcTokens.Parse(response, _context.Clock.UtcNow);
        // Providers may rotate refresh tokens or omit a new one; keep the old one when none came back.
        if (tokens.RefreshToken == null)
            tokens = new OidcTokens(tokens.IdToken, tokens.AccessToken, saved.Tokens.RefreshToken, tokens.AccessTokenExpiresAt) { GrantedScope = tokens.GrantedScope };
        return await CompleteAsync(provider, tokens, OidcLoginSource.Refreshed, saved, saved.AccountId, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="refreshed">The session a silent refresh renewed: the new ID token must be its person's.</param>
    private async Task<OidcLoginResult> CompleteAsync(OidcProviderMetadata provider, OidcTokens tokens, OidcLoginSource source, OidcSession? refreshed, string? accountId, CancellationToken cancellationToken)
    {
        var identity = await new IdTokenValidator(_context.Clock).ValidateAsync(tokens.IdToken!, provider, _settings.ClientId, null, cancellationToken).ConfigureAwait(false);
        if (refreshed != null && !string.Equals(identity.Subject, refreshed.Identity.Subject, StringComparison.Ordinal))
        {
            throw new NaraAuthException("OidcAccountMismatch", NaraErrorCategory.SecurityError,
                $"The silent refresh of {refreshed.Identity.Subject}'s session returned tokens of another account ({identity.Subject}); they were refused and nothing was saved.",
                "Log in again with -Force; if it repeats, report it to the identity provider's administrators.");
        }
        if (tokens.RefreshToken == null && source == OidcLoginSource.DeviceCode)
        {
            _reporter.Verbose("The provider issued no refresh token" + (_settings.AsksForRefreshToken ? " although offline_access was asked for" : " (offline_access was not asked for)")
                + $", so the next login after {TimeText.Of(identity.ExpiresAt)} asks you again.");
        }
        // What the provider granted, not what was asked: a refresh token may have been refused.
        var scope = tokens.GrantedScope ?? refreshed?.Scope ?? _settings.Scope;
        if (tokens.GrantedScope != null && tokens.GrantedScope != _settings.Scope)
            _reporter.Verbose($"Asked for the scope '{_settings.Scope}'; the provider granted '{tokens.GrantedScope}'.");
        var session = new OidcSession(provider.Issuer, _settings.ClientId, scope, identity, tokens, _context.Clock.UtcNow, accountId);
        // Ctrl+C before this point leaves the disk as it was.
        cancellationToken.ThrowIfCancellationRequested();
        session.Write(_context.Store, Path);
        _reporter.Verbose($"Saved the session to '{Path}' (owner-only).");
        return new OidcLoginResult(session, Path, source);
    }
}
