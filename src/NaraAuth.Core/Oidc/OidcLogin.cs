using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Browser;

namespace NaraAuth.Core.Oidc;

/// <summary>How a direct OIDC login was satisfied.</summary>
public enum OidcLoginSource
{
    /// <summary>The saved session was still valid.</summary>
    Saved,
    /// <summary>The saved refresh token got new tokens without the person.</summary>
    Refreshed,
    DeviceCode,
    Interactive,
}

public sealed class OidcLoginResult
{
    public OidcLoginResult(OidcSession session, string path, OidcLoginSource source)
    {
        Session = session;
        Path = path;
        Source = source;
    }

    public OidcSession Session { get; }
    public string Path { get; }
    public OidcLoginSource Source { get; }
}

/// <summary>
/// Direct OIDC against the identity provider (protocol.md 2.3): reuse a valid saved session, else
/// refresh it silently, else ask the person (device code here, browser with PKCE through MSAL);
/// validate the ID token; save owner-only. Nothing is written when validation fails or the
/// login is cancelled. MSAL is only touched by <see cref="LoginInteractiveAsync"/>, through a
/// method that is never inlined, so Import-Module and the device flow never load it.
/// </summary>
public sealed class OidcLogin
{
    /// <summary>A saved session is reused only when it stays valid at least this long.</summary>
    public static readonly TimeSpan ReuseMargin = TimeSpan.FromMinutes(5);

    private readonly CoreContext _context;
    private readonly OidcSettings _settings;

    public OidcLogin(CoreContext context, OidcSettings settings)
    {
        _context = context;
        _settings = settings;
        Path = OidcSession.PathFor(context.Environment, settings.Authority.AbsoluteUri, settings.ClientId, settings.Scope);
    }

    public string Path { get; }

    /// <summary>Notes for the verbose stream (never a secret).</summary>
    public event Action<string>? Note;
    /// <summary>Raised when the saved session file was unusable or readable by others.</summary>
    public event Action<string>? Warning;

    public async Task<OidcLoginResult> LoginWithDeviceCodeAsync(bool force, Action<DeviceCodePrompt> show, Action<TimeSpan, TimeSpan>? onWait, CancellationToken cancellationToken)
    {
        var provider = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        if (!force && await TryExistingAsync(provider, cancellationToken).ConfigureAwait(false) is { } existing) return existing;
        var flow = new DeviceCodeFlow(provider, _settings, _context.Clock);
        flow.Note += n => Note?.Invoke(n);
        var tokens = await flow.RunAsync(show, onWait, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(provider, tokens, null, OidcLoginSource.DeviceCode, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OidcLoginResult> LoginInteractiveAsync(bool force, IBrowserLauncher browser, CancellationToken cancellationToken)
    {
        var provider = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        if (!force && await TryExistingAsync(provider, cancellationToken).ConfigureAwait(false) is { } existing) return existing;
        var (tokens, silent) = await RunMsalAsync(provider, browser, force, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(provider, tokens, null, silent ? OidcLoginSource.Refreshed : OidcLoginSource.Interactive, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>MSAL's token cache (with the refresh token), owner-only, beside the session file.</summary>
    public string MsalCachePath => System.IO.Path.ChangeExtension(Path, ".msal.bin");

    /// <summary>The only door to MSAL: kept out of line so the JIT loads MSAL only when this runs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Task<(OidcTokens Tokens, bool Silent)> RunMsalAsync(OidcProviderMetadata provider, IBrowserLauncher browser, bool force, CancellationToken cancellationToken) =>
        Msal.MsalInteractiveLogin.RunAsync(_context, _settings, provider, browser, MsalCachePath, force, cancellationToken);

    private async Task<OidcProviderMetadata> DiscoverAsync(CancellationToken cancellationToken)
    {
        Note?.Invoke($"Reading the discovery document of {_settings.Authority}.");
        return await OidcProviderMetadata.FetchAsync(_settings.Authority, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OidcLoginResult?> TryExistingAsync(OidcProviderMetadata provider, CancellationToken cancellationToken)
    {
        var saved = OidcSession.TryRead(_context.Store, Path, out var problem);
        if (problem != null) Warning?.Invoke(problem);
        if (saved == null || !string.Equals(saved.Issuer.TrimEnd('/'), provider.Issuer.TrimEnd('/'), StringComparison.Ordinal)
            || saved.ClientId != _settings.ClientId) return null;

        if (saved.IsValidFor(_context.Clock.UtcNow, ReuseMargin))
        {
            Note?.Invoke($"Reusing the saved session of {saved.Identity.Subject} from '{Path}'.");
            return new OidcLoginResult(saved, Path, OidcLoginSource.Saved);
        }
        if (saved.Tokens.RefreshToken == null) return null;

        Note?.Invoke("Refreshing the saved session with its refresh token.");
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
            Note?.Invoke($"The refresh was refused (HTTP {response.StatusCode}{(response.ErrorCode is { } c ? ", " + c : string.Empty)}); a new login is needed.");
            return null;
        }
        var tokens = OidcTokens.Parse(response, _context.Clock.UtcNow);
        // Providers may rotate refresh tokens or omit a new one; keep the old one when none came back.
        if (tokens.RefreshToken == null)
            tokens = new OidcTokens(tokens.IdToken, tokens.AccessToken, saved.Tokens.RefreshToken, tokens.AccessTokenExpiresAt);
        return await CompleteAsync(provider, tokens, null, OidcLoginSource.Refreshed, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OidcLoginResult> CompleteAsync(OidcProviderMetadata provider, OidcTokens tokens, string? nonce, OidcLoginSource source, CancellationToken cancellationToken)
    {
        var identity = await new IdTokenValidator(_context.Clock).ValidateAsync(tokens.IdToken, provider, _settings.ClientId, nonce, cancellationToken).ConfigureAwait(false);
        var session = new OidcSession(provider.Issuer, _settings.ClientId, _settings.Scope, identity, tokens, _context.Clock.UtcNow);
        // Ctrl+C before this point leaves the disk as it was.
        cancellationToken.ThrowIfCancellationRequested();
        session.Write(_context.Store, Path);
        Note?.Invoke($"Saved the session to '{Path}' (owner-only).");
        return new OidcLoginResult(session, Path, source);
    }
}
