using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Status;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Sessions;

/// <summary>
/// Every login this machine keeps for the user: the direct OIDC sessions (one file per issuer,
/// client and scope set, with MSAL's token cache beside a browser login's) and the EdgePlane
/// session. Lists them without reading a token into anything shown, and removes them.
/// </summary>
public sealed class SavedLoginCatalog
{
    private readonly IEnvironment _environment;
    private readonly SecureFileStore _store;

    public SavedLoginCatalog(IEnvironment environment, SecureFileStore store)
    {
        _environment = environment;
        _store = store;
    }

    public string OidcFolder => OidcSession.FolderFor(_environment);
    public string EdgePlanePath => EdgePlaneSession.DefaultPath(_environment);

    /// <param name="kind">OidcSession or EdgePlaneSession for one kind only; null for both.</param>
    public IReadOnlyList<SavedLogin> List(CredentialKind? kind = null)
    {
        var found = new List<SavedLogin>();
        if (kind is null or CredentialKind.OidcSession && Directory.Exists(OidcFolder))
        {
            foreach (var path in Directory.GetFiles(OidcFolder, "*.json").OrderBy(p => p, StringComparer.Ordinal))
                found.Add(DescribeOidc(path));
        }
        if (kind is null or CredentialKind.EdgePlaneSession && File.Exists(EdgePlanePath)) found.Add(DescribeEdgePlane(EdgePlanePath));
        return found;
    }

    /// <summary>
    /// The session file a logout by settings means. With a client id (-ClientId or OIDC_CLIENT_ID)
    /// it is the file of that issuer, client and scope set. Without one, the authority alone names
    /// the login when exactly one saved login is at that provider; none leaves nothing to remove
    /// (null), and several are an error listing their client ids, since
    /// ending the wrong login would be a surprise.
    /// </summary>
    public string? SessionPathFor(string? authority, string? clientId, IEnumerable<string>? scopes, CoreContext context)
    {
        if (!OidcSettings.NoClientId(clientId, _environment))
            return new OidcLogin(context, OidcSettings.Resolve(authority, clientId, scopes, _environment)).Path;
        var issuer = OidcSettings.ResolveAuthority(authority, _environment);
        var atProvider = List(CredentialKind.OidcSession).Where(l => SameIssuer(l.Issuer, issuer)).ToList();
        if (atProvider.Count == 1) return atProvider[0].Path;
        if (atProvider.Count == 0) return null;
        throw new NaraAuthException("OidcSessionAmbiguous", NaraErrorCategory.InvalidArgument,
            $"{atProvider.Count} saved logins are at '{issuer}' (client ids: {string.Join(", ", atProvider.Select(l => l.ClientId ?? "unreadable").OrderBy(c => c, StringComparer.Ordinal))}); which one to end is not clear.",
            "Pass -ClientId, or pipe the one to end from Get-OidcSession to Disconnect-OidcSession.", issuer.ToString());
    }

    private static bool SameIssuer(string? saved, Uri issuer) =>
        saved != null && string.Equals(saved.Trim().TrimEnd('/'), issuer.ToString().TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private SavedLogin DescribeOidc(string path)
    {
        var login = new SavedLogin(CredentialKind.OidcSession, path);
        var cache = OidcLogin.MsalCachePathFor(path);
        if (File.Exists(cache)) login.CachePath = cache;
        var session = OidcSession.TryRead(_store, path, out var problem);
        login.Problem = problem ?? _store.CheckPermissions(path);
        if (session == null) return login;
        login.Issuer = session.Issuer;
        login.ClientId = session.ClientId;
        login.Scope = session.Scope;
        login.Subject = session.Identity.Subject;
        login.Email = session.Identity.Email;
        login.IdTokenExpiresAt = session.Identity.ExpiresAt;
        login.AccessTokenExpiresAt = session.Tokens.AccessTokenExpiresAt;
        login.ExpiresAt = session.ExpiresAt;
        login.CanRefresh = session.Tokens.RefreshToken != null || login.CachePath != null;
        login.ClientCredential = session.Grant?.Description;
        return login;
    }

    private SavedLogin DescribeEdgePlane(string path)
    {
        var login = new SavedLogin(CredentialKind.EdgePlaneSession, path);
        try
        {
            var session = EdgePlaneSession.Read(_store, path);
            // Listed as data too: a listing shows which saved login is open to others.
            login.Problem = _store.CheckPermissions(path);
            login.Issuer = session.BaseUrl;
            login.Subject = session.Subject;
            login.Email = session.Email;
            login.ExpiresAt = session.ExpiresAt;
        }
        catch (NaraAuthException e)
        {
            login.Problem = e.Message;
        }
        return login;
    }

    /// <summary>The logout of the EdgePlane session (Disconnect-EdgePlane).</summary>
    public SavedLoginLogout EdgePlaneLogout(IReporter reporter) => SavedLoginLogout.ForEdgePlane(EdgePlanePath, _store, reporter);

    /// <summary>
    /// The logout of the saved login at <paramref name="path"/>: a direct OIDC session with MSAL's
    /// cache beside it, or the EdgePlane session (logged out as Disconnect-EdgePlane does). Any
    /// other path is refused, so a piped object can never make a logout delete an unrelated file.
    /// </summary>
    public SavedLoginLogout LogoutOf(string path, IReporter reporter)
    {
        var full = Path.GetFullPath(path);
        if (string.Equals(full, Path.GetFullPath(EdgePlanePath), PathComparison)) return SavedLoginLogout.ForEdgePlane(full, _store, reporter);
        var folder = Path.GetFullPath(OidcFolder);
        if (string.Equals(Path.GetDirectoryName(full), folder, PathComparison) && full.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return SavedLoginLogout.ForOidc(full, OidcLogin.MsalCachePathFor(full), _store, reporter);
        throw new NaraAuthException("NotASessionFile", NaraErrorCategory.InvalidArgument,
            $"'{path}' is not a saved login of NaraAuth (those are '{EdgePlanePath}' and the .json files in '{OidcFolder}'); nothing was deleted.",
            "Pass a session from Get-OidcSession, or -Authority and -ClientId.", path);
    }

    /// <summary>
    /// The logout of the direct OIDC login the settings name (<see cref="SessionPathFor"/>); with
    /// none saved at the provider, a logout with nothing to remove, said for the folder the logins live in.
    /// </summary>
    public SavedLoginLogout LogoutBySettings(string? authority, string? clientId, IEnumerable<string>? scopes, CoreContext context) =>
        SessionPathFor(authority, clientId, scopes, context) is { } session
            ? LogoutOf(session, context.Reporter)
            : SavedLoginLogout.NoneIn(OidcFolder, _store, context.Reporter);

    private static StringComparison PathComparison =>
        Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
}
