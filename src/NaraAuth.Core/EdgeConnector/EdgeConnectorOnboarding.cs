using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// The steps every token mode of Connect-EdgeConnector shares: the idempotency check, validation
/// before anything is saved (docs/protocol.md 1.3), the save (1.4) and the bundle sync (1.5). The
/// cmdlet calls them one by one so ShouldProcess and Ctrl+C sit between them.
/// </summary>
public sealed class EdgeConnectorOnboarding
{
    private readonly CoreContext _context;
    private readonly ApiClient _platform;

    public EdgeConnectorOnboarding(CoreContext context, ApiClient platform)
    {
        _context = context;
        _platform = platform;
    }

    /// <summary>
    /// The stored token when it already does the job: valid (online checks included, which are
    /// all reads), for <paramref name="organization"/> when one is given, with more than
    /// <paramref name="minimumValidity"/> left. Null when a new token is needed, for any reason.
    /// </summary>
    /// <param name="target">The platform the check would ask; a stored login that may not go there is not reused (and not sent).</param>
    /// <param name="owner">The runtime account: a token file it owns may be adopted, as may one of the invoker's.</param>
    public async Task<TokenValidationResult?> FindReusableAsync(TokenLocation location, string? organization, TimeSpan minimumValidity, CancellationToken cancellationToken,
        PlatformTarget? target = null, RuntimeAccount? owner = null)
    {
        if (!File.Exists(location.Path)) return null;
        if (!MayAdopt(location, owner)) return null;
        JwtInfo offline;
        try
        {
            var file = TokenFile.Read(_context.Store, location.Path);
            if (StoredLoginDestination.Problem(file, target ?? new PlatformTarget(_platform.BaseUrl, PlatformUrlSource.Parameter)) != null) return null;
            offline = _context.Validator.ValidateOffline(file.Token, new TokenValidationOptions { RequiredOrganization = organization });
        }
        catch (NaraAuthException)
        {
            return null;
        }
        if (offline.ExpiresAt is not { } expires || expires - _context.Clock.UtcNow <= minimumValidity) return null;
        try
        {
            return await _context.Validator.ValidateAsync(offline.Raw, new TokenValidationOptions { RequiredOrganization = organization }, _platform, cancellationToken).ConfigureAwait(false);
        }
        catch (NaraAuthException)
        {
            // Revoked, tampered, organization disabled: replace it with a fresh one.
            return null;
        }
    }

    /// <summary>
    /// A token found in place is adopted (reported as already connected, handed to the runtime
    /// account) only when the invoker or the runtime account owns the file and its folder passes
    /// the folder rule: a token a third account planted, or one reached through another account's
    /// folder, is not this installation's login (docs/decisions/installation-trust.md).
    /// </summary>
    private bool MayAdopt(TokenLocation location, RuntimeAccount? owner)
    {
        var fileOwner = FileOwner.Of(location.Path);
        if (fileOwner == null) return false;
        var mine = _context.Store.IsWindows ? fileOwner.Id == WindowsAclApplier.CurrentUserSid()
            : fileOwner.Id == UnixFileApi.EffectiveUserId().ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!mine && (owner == null || !fileOwner.IsAccount(owner))) return false;
        try
        {
            return _context.Store.FolderProblem(Path.GetDirectoryName(location.Path)!, isTarget: true, owner) == null;
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>All checks of docs/protocol.md 1.3; throws with the failed check's own error id.</summary>
    public Task<TokenValidationResult> ValidateAsync(string jwt, string? organization, CancellationToken cancellationToken) =>
        _context.Validator.ValidateAsync(jwt, new TokenValidationOptions { RequiredOrganization = organization }, _platform, cancellationToken);

    /// <summary>What an administrator does about a handed-over token that has expired: logging in is not theirs to do.</summary>
    public const string HandedOverExpiredAction =
        "Get a new token from the platform (the person who handed it over, or the platform's token page) and pass it to -Token again.";

    /// <summary>
    /// A token handed over with -Token: checked as any other, but an expired one is answered with
    /// what the administrator can do (get a new token), not "log in again".
    /// </summary>
    public async Task<TokenValidationResult> ValidateHandedOverAsync(string jwt, string? organization, CancellationToken cancellationToken)
    {
        try
        {
            return await ValidateAsync(jwt, organization, cancellationToken).ConfigureAwait(false);
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.TokenExpired)
        {
            throw new NaraAuthException(e.ErrorId, e.Category, e.Message, HandedOverExpiredAction, e.Target, e);
        }
    }

    /// <summary>
    /// The warning for a token about to be saved that will not last <paramref name="minimumValidity"/>
    /// (the margin the person asked for), or null: said at connect time, not at its first failed use.
    /// </summary>
    public string? ShortLifeWarning(TokenValidationResult validated, TimeSpan minimumValidity, bool handedOver) =>
        validated.Jwt.ExpiresAt is { } expires && expires - _context.Clock.UtcNow < minimumValidity
            ? Tokens.ExpiryNotice.For("The token", expires, _context.Clock.UtcNow, minimumValidity,
                $"That is less than -MinimumValidity ({Text.DurationText.Of(minimumValidity)}); "
                + (handedOver ? "get a token with a longer life from the platform before it runs out." : "connect again before it runs out."))
            : null;

    /// <summary>Writes {"token","savedAt","platformUrl"} owner-only and atomically: an old file is replaced whole or not at all.</summary>
    /// <param name="force">Replace an existing file at the token path even when it is not a token file.</param>
    /// <param name="owner">The account the Edge Connector runs as, when another account writes its files.</param>
    public void SaveToken(TokenLocation location, string jwt, bool force = false, RuntimeAccount? owner = null) =>
        new TokenFile(jwt, _context.Clock.UtcNow, SafeUri.Origin(_platform.BaseUrl)).Write(_context.Store, location.Path, force, owner);

    /// <summary>Downloads the default bundle; failures come back as BundleSyncFailed naming the saved token.</summary>
    public async Task<byte[]> DownloadBundleAsync(TokenLocation location, string jwt, CancellationToken cancellationToken)
    {
        try
        {
            return await BundleSync.DownloadAsync(_platform, jwt, cancellationToken).ConfigureAwait(false);
        }
        catch (NaraAuthException e)
        {
            throw BundleSync.Failed(e, location.Path);
        }
    }

    public void SaveBundle(TokenLocation location, byte[] bundle, RuntimeAccount? owner = null) => BundleSync.Save(_context.Store, location.BundlePath, bundle, owner);

    /// <summary>The stored token and bundle (those that exist) that another account than <paramref name="owner"/> owns.</summary>
    public IReadOnlyList<string> NotOwnedBy(TokenLocation location, RuntimeAccount owner)
    {
        var paths = new List<string>();
        foreach (var path in new[] { location.Path, location.BundlePath })
        {
            if (FileOwner.Of(path) is { } current && !current.IsAccount(owner)) paths.Add(path);
        }
        return paths;
    }

    /// <summary>
    /// A stored token that is kept (and its bundle) given to <paramref name="owner"/> when another
    /// account owns it (<see cref="NotOwnedBy"/>), so running the onboarding again with
    /// -RuntimeAccount mends an earlier run without it. Each is rewritten whole for the new owner,
    /// as every save is; the token is the same one.
    /// </summary>
    public void HandOver(TokenLocation location, IEnumerable<string> paths, RuntimeAccount owner)
    {
        foreach (var path in paths)
        {
            if (path == location.Path)
            {
                var stored = TokenFile.Read(_context.Store, path);
                new TokenFile(stored.Token, stored.SavedAt, stored.PlatformUrl).Write(_context.Store, path, force: false, owner);
            }
            else
            {
                BundleSync.Save(_context.Store, path, _context.Store.ReadAllBytes(path), owner);
            }
        }
    }
}
