using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Sessions;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Worker;
using NaraAuth.Core.Text;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Status;

/// <summary>
/// Every credential this user has on this machine, found by the same rules the cmdlets that
/// write them use, one record per credential (a record with state Missing where a kind has
/// none). Reads each file once through the bounded secret reader, judges its protection with the
/// secure store's own rules, and never puts a secret into a record; -Verify asks each server
/// through the same calls the kind's own cmdlet makes.
/// </summary>
public sealed class CredentialInventory
{
    private readonly CoreContext _context;
    private RuntimeAccount? _runtimeAccount;

    public CredentialInventory(CoreContext context)
    {
        _context = context;
    }

    public async Task<IReadOnlyList<CredentialStatus>> ListAsync(CredentialQuery query, CancellationToken cancellationToken)
    {
        _runtimeAccount = query.RuntimeAccount;
        bool Wanted(CredentialKind kind) => query.Kinds == null || query.Kinds.Count == 0 || query.Kinds.Contains(kind);
        var verifier = new CredentialVerifier(_context, query.BaseUrl);
        var found = new List<CredentialStatus>();
        // Also names the installation whose config.json says which platform -Verify asks. A
        // broken config.json is itself a finding: it is reported, and the other kinds still are.
        TokenLocation? location = null;
        try
        {
            location = TokenLocation.Resolve(_context.Environment, query.TokenPath, query.InstallPath, _context.CurrentDirectory);
        }
        catch (NaraAuthException e) when (e.ErrorId.StartsWith(SecretFileKind.InstallationConfig.ErrorPrefix, StringComparison.Ordinal))
        {
            foreach (var kind in new[] { CredentialKind.EdgeConnectorToken, CredentialKind.EdgeConnectorBundle })
            {
                if (!Wanted(kind)) continue;
                var broken = new CredentialStatus(kind, e.Target as string) { FoundBy = "config.json" };
                broken.Downgrade(CredentialState.Invalid, $"{e.Message} ({e.ErrorId}); {e.RecommendedAction}");
                found.Add(broken);
            }
        }

        if (location != null && (Wanted(CredentialKind.EdgeConnectorToken) || Wanted(CredentialKind.EdgeConnectorBundle)))
        {
            var (token, jwt) = EdgeConnectorToken(location);
            if (query.Verify && jwt != null) await verifier.PlatformTokenAsync(token, jwt, location, cancellationToken).ConfigureAwait(false);
            if (Wanted(CredentialKind.EdgeConnectorToken)) found.Add(token);
            if (Wanted(CredentialKind.EdgeConnectorBundle)) found.Add(Bundle(location, token));
        }
        if (Wanted(CredentialKind.DeploymentCredentials))
        {
            var (status, credentials) = Deployment(query.CredentialsPath);
            if (query.Verify && credentials != null && location != null) await verifier.DeploymentAsync(status, credentials, location, cancellationToken).ConfigureAwait(false);
            found.Add(status);
        }
        var catalog = new SavedLoginCatalog(_context.Environment, _context.Store);
        if (Wanted(CredentialKind.EdgePlaneSession))
        {
            var (status, session) = EdgePlane(catalog.EdgePlanePath);
            if (query.Verify && session != null) await verifier.EdgePlaneAsync(status, session, cancellationToken).ConfigureAwait(false);
            found.Add(status);
        }
        if (Wanted(CredentialKind.OidcSession))
        {
            var logins = catalog.List(CredentialKind.OidcSession);
            if (logins.Count == 0) found.Add(Missing(CredentialKind.OidcSession, catalog.OidcFolder, "no direct OIDC login is saved"));
            foreach (var login in logins) found.Add(Oidc(login, query.Verify));
        }
        if (Wanted(CredentialKind.WorkerToken)) found.Add(Worker(query.Verify));
        return found;
    }

    private (CredentialStatus Status, JwtInfo? Jwt) EdgeConnectorToken(TokenLocation location)
    {
        var status = new CredentialStatus(CredentialKind.EdgeConnectorToken, location.Path) { FoundBy = location.Source.ToString() };
        if (!File.Exists(location.Path))
        {
            status.Downgrade(CredentialState.Missing, $"no token file at '{location.Path}' (chosen by {location.Source}); Connect-EdgeConnector saves one");
            return (status, null);
        }
        JwtInfo? jwt = null;
        Inspect(status, () =>
        {
            jwt = JwtInfo.Parse(TokenFile.Read(_context.Store, location.Path).Token);
            status.Subject = jwt.Subject;
            status.Email = jwt.Email;
            status.Organization = jwt.Organization;
            status.Issuer = jwt.Issuer;
            status.ExpiresAt = jwt.ExpiresAt;
            ExpireIfPast(status, "log in again with Connect-EdgeConnector");
        });
        return (status, jwt);
    }

    private CredentialStatus Bundle(TokenLocation location, CredentialStatus token)
    {
        var status = new CredentialStatus(CredentialKind.EdgeConnectorBundle, location.BundlePath)
        {
            FoundBy = location.Source.ToString(),
            Subject = token.Subject,
            Email = token.Email,
            Organization = token.Organization,
            Issuer = token.Issuer,
        };
        if (!File.Exists(location.BundlePath))
            return Missing(status, $"no default bundle at '{location.BundlePath}'; Connect-EdgeConnector downloads it");
        CheckProtection(status);
        return status;
    }

    private (CredentialStatus Status, DeploymentCredentials? Credentials) Deployment(string? credentialsPath)
    {
        if (credentialsPath != null) return DeploymentFile(credentialsPath, "-CredentialsPath", "-CredentialsPath");
        var fromEnvironment = DeploymentEnvironment.Read(_context.Environment);
        if (fromEnvironment.Choice == DeploymentEnvironmentChoice.CredentialsFile)
            return DeploymentFile(fromEnvironment.CredentialsPath!, EnvironmentVariables.DeploymentCredentialsPath, nameof(DeploymentCredentialSource.CredentialsFile));
        var status = new CredentialStatus(CredentialKind.DeploymentCredentials, null);
        if (fromEnvironment.Choice == DeploymentEnvironmentChoice.None)
            return (Missing(status, DeploymentEnvironment.NoneSetText), null);
        DeploymentCredentials? credentials = null;
        Inspect(status, () =>
        {
            credentials = fromEnvironment.Pair();
            status.Subject = credentials.DeploymentId;
            status.FoundBy = credentials.Source.ToString();
        });
        return (status, credentials);
    }

    /// <summary>Deployment credentials in the file <paramref name="namedBy"/> names (relative to the current folder).</summary>
    private (CredentialStatus Status, DeploymentCredentials? Credentials) DeploymentFile(string file, string namedBy, string foundBy)
    {
        var path = Path.GetFullPath(Path.Combine(_context.CurrentDirectory, file));
        var status = new CredentialStatus(CredentialKind.DeploymentCredentials, path) { FoundBy = foundBy };
        if (!File.Exists(path)) return (Missing(status, $"{namedBy} names '{path}', which does not exist"), null);
        DeploymentCredentials? credentials = null;
        Inspect(status, () =>
        {
            credentials = DeploymentCredentials.ReadFile(_context.Store, path);
            status.Subject = credentials.DeploymentId;
        });
        return (status, credentials);
    }

    private (CredentialStatus Status, EdgePlaneSession? Session) EdgePlane(string path)
    {
        var status = new CredentialStatus(CredentialKind.EdgePlaneSession, path);
        if (!File.Exists(path)) return (Missing(status, "no EdgePlane session is saved; Invoke-OidcCliLogin saves one"), null);
        EdgePlaneSession? session = null;
        Inspect(status, () =>
        {
            session = EdgePlaneSession.Read(_context.Store, path);
            status.Subject = session.Subject;
            status.Email = session.Email;
            status.Issuer = session.BaseUrl;
            status.ExpiresAt = session.ExpiresAt;
            ExpireIfPast(status, "log in again with Invoke-OidcCliLogin");
        });
        return (status, session);
    }

    private CredentialStatus Oidc(SavedLogin login, bool verify)
    {
        var status = new CredentialStatus(CredentialKind.OidcSession, login.Path)
        {
            Subject = login.Subject,
            Email = login.Email,
            Issuer = login.Issuer,
            ExpiresAt = login.ExpiresAt,
        };
        if (login.Problem != null && login.Issuer == null) status.Downgrade(CredentialState.Invalid, login.Problem);
        else ExpireIfPast(status, login.CanRefresh ? "Invoke-OidcCliLogin -Authority refreshes it without a browser" : "log in again with Invoke-OidcCliLogin -Authority");
        CheckProtection(status);
        if (verify) CredentialVerifier.NotCheckable(status, "a direct OIDC session has no read-only online check; Invoke-OidcCliLogin -Authority uses or refreshes it");
        return status;
    }

    private CredentialStatus Worker(bool verify)
    {
        var store = new WorkerTokenStore(_context.Environment, _context.Store, _context.CurrentDirectory);
        var fromEnvironment = _context.Environment.GetVariable(EnvironmentVariables.WorkerAuthToken) != null;
        var status = new CredentialStatus(CredentialKind.WorkerToken, fromEnvironment ? null : store.ConfigPath);
        try
        {
            Inspect(status, () => status.FoundBy = store.Resolve(create: false).Source.ToString());
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.WorkerTokenNotFound)
        {
            return Missing(status, e.Message);
        }
        if (verify) CredentialVerifier.NotCheckable(status, "the worker token is checked by the local worker, not by a server NaraAuth can ask");
        return status;
    }

    /// <summary>Reads the credential into the record (a file that cannot be, is Invalid), then judges the file's protection.</summary>
    private void Inspect(CredentialStatus status, Action read)
    {
        try
        {
            read();
        }
        catch (NaraAuthException e) when (e.ErrorId != ErrorIds.WorkerTokenNotFound)
        {
            status.Downgrade(CredentialState.Invalid, e.Message);
        }
        CheckProtection(status);
    }

    private void ExpireIfPast(CredentialStatus status, string remedy)
    {
        if (status.ExpiresAt is { } expires && expires <= _context.Clock.UtcNow)
            status.Downgrade(CredentialState.Expired, $"it expired at {TimeText.Of(expires)}; {remedy}");
    }

    /// <summary>Owner and protection of the record's file, with the secure store's rules.</summary>
    private void CheckProtection(CredentialStatus status)
    {
        if (status.Path == null || !File.Exists(status.Path)) return;
        var protection = FileProtection.Inspect(_context.Store, status.Path, _runtimeAccount);
        if (_runtimeAccount != null) status.OwnerMatchesRuntimeAccount = FileOwner.Of(status.Path)?.IsAccount(_runtimeAccount);
        status.Owner = protection.Owner;
        status.IsProtected = protection.IsProtected;
        if (!protection.IsProtected) status.Downgrade(CredentialState.Unprotected, protection.Problem);
    }

    private static CredentialStatus Missing(CredentialKind kind, string? path, string why) => Missing(new CredentialStatus(kind, path), why);

    private static CredentialStatus Missing(CredentialStatus status, string why)
    {
        status.Downgrade(CredentialState.Missing, why);
        return status;
    }
}
