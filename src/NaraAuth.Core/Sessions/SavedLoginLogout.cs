using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Logout;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Sessions;

/// <summary>
/// The logout of one saved login (made by <see cref="SavedLoginCatalog"/>): the EdgePlane session
/// file, which nothing on this side can end at the server, or a direct OIDC session with MSAL's
/// token cache beside it, which is first ended at its provider as far as the provider allows
/// (<see cref="OidcLogout"/>). Whichever cmdlet runs it, a login is logged out the same way.
/// </summary>
public sealed class SavedLoginLogout : LogoutPlan
{
    public const string EdgePlaneSessionKind = "EdgePlaneSession";
    public const string OidcSessionKind = "OidcSession";
    public const string MsalCacheKind = "MsalCache";

    private readonly bool _edgePlane;
    private readonly SecureFileStore _store;
    private readonly List<string> _revoked = new();

    private SavedLoginLogout(string session, bool edgePlane, IReadOnlyList<LogoutFile> files, SecureFileStore store, IReporter reporter) : base(files, reporter)
    {
        Session = session;
        _edgePlane = edgePlane;
        _store = store;
    }

    internal static SavedLoginLogout ForEdgePlane(string path, SecureFileStore store, IReporter reporter) =>
        new(path, edgePlane: true, new[] { new LogoutFile(EdgePlaneSessionKind, path, System.IO.File.Exists(path)) }, store, reporter);

    internal static SavedLoginLogout ForOidc(string path, string cachePath, SecureFileStore store, IReporter reporter) =>
        new(path, edgePlane: false, new[]
        {
            new LogoutFile(OidcSessionKind, path, System.IO.File.Exists(path)),
            new LogoutFile(MsalCacheKind, cachePath, System.IO.File.Exists(cachePath)),
        }, store, reporter);

    /// <summary>No login is saved at the provider: nothing to remove, said for the folder the logins live in.</summary>
    internal static SavedLoginLogout NoneIn(string folder, SecureFileStore store, IReporter reporter) =>
        new(folder, edgePlane: false, Array.Empty<LogoutFile>(), store, reporter);

    /// <summary>The session file (or, when no login is saved at the provider, the folder the logins live in).</summary>
    public string Session { get; }

    /// <summary>What the provider ended before the files went (RefreshToken, AccessToken, Session).</summary>
    public IReadOnlyList<string> RevokedAtProvider => _revoked;

    /// <summary>Why something was only removed locally; null when nothing went wrong at the provider.</summary>
    public string? RevocationProblem { get; private set; }

    public override string Target => Session;

    protected override string DescribeAction(IReadOnlyList<LogoutFile> present)
    {
        if (_edgePlane) return "Delete the EdgePlane session file";
        var session = present.Any(f => f.Kind == OidcSessionKind);
        var cache = present.Any(f => f.Kind == MsalCacheKind);
        return session && cache ? "Delete the OIDC session file and its MSAL token cache"
            : session ? "Delete the OIDC session file"
            : "Delete the MSAL token cache of the OIDC login";
    }

    protected override string NothingToRemove => $"Not connected: there is no saved session at '{Session}'; nothing to remove.";

    protected override string RemovedNote(LogoutFile file) => $"Deleted '{file.Path}'.";

    protected override string? AfterRemoval => _edgePlane
        ? "The session stays valid on the server until it expires or an administrator revokes it."
        : "The login's files are gone from this machine; what the provider did not revoke stays valid there until it expires.";

    protected override NaraAuthException NotRemoved(LogoutFile file, NaraErrorCategory category, Exception cause) =>
        new(_edgePlane ? "EdgePlaneSessionDeleteFailed" : "SessionDeleteFailed", category,
            $"Could not delete '{file.Path}': {cause.Message}", "Check the file's permissions and delete it by hand.", file.Path, cause);

    /// <summary>Revokes at the provider what its discovery advertises; a failure there is a warning, never a reason to keep the files.</summary>
    protected override async Task EndElsewhereAsync(CancellationToken cancellationToken)
    {
        if (_edgePlane) return;
        var ended = await new OidcLogout(Reporter).EndSavedLoginAsync(_store, Session, cancellationToken).ConfigureAwait(false);
        if (ended == null) return;
        _revoked.AddRange(ended.Revoked);
        RevocationProblem = ended.Problem;
        if (ended.Problem != null) Reporter.Warning(ended.Problem + " The files are removed from this machine anyway.");
    }
}
