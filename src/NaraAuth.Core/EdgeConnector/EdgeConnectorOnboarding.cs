using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;

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

    public Uri BaseUrl => _platform.BaseUrl;

    /// <summary>
    /// The stored token when it already does the job: valid (online checks included, which are
    /// all reads), for <paramref name="organization"/> when one is given, with more than
    /// <paramref name="minimumValidity"/> left. Null when a new token is needed, for any reason.
    /// </summary>
    public async Task<TokenValidationResult?> FindReusableAsync(TokenLocation location, string? organization, TimeSpan minimumValidity, CancellationToken cancellationToken)
    {
        if (!File.Exists(location.Path)) return null;
        JwtInfo offline;
        try
        {
            var file = TokenFile.Read(_context.Store, location.Path);
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

    /// <summary>All checks of docs/protocol.md 1.3; throws with the failed check's own error id.</summary>
    public Task<TokenValidationResult> ValidateAsync(string jwt, string? organization, CancellationToken cancellationToken) =>
        _context.Validator.ValidateAsync(jwt, new TokenValidationOptions { RequiredOrganization = organization }, _platform, cancellationToken);

    /// <summary>Writes {"token","savedAt"} owner-only and atomically: an old file is replaced whole or not at all.</summary>
    /// <param name="force">Replace an existing file at the token path even when it is not a token file.</param>
    /// <param name="owner">The account the Edge Connector runs as, when another account writes its files.</param>
    public void SaveToken(TokenLocation location, string jwt, bool force = false, RuntimeAccount? owner = null) =>
        new TokenFile(jwt, _context.Clock.UtcNow).Write(_context.Store, location.Path, force, owner);

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
                new TokenFile(stored.Token, stored.SavedAt).Write(_context.Store, path, force: false, owner);
            }
            else
            {
                BundleSync.Save(_context.Store, path, _context.Store.ReadAllBytes(path), owner);
            }
        }
    }
}
