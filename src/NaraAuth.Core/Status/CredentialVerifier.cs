using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.Status;

/// <summary>
/// -Verify of the status: each credential goes only to the server it belongs to, through the
/// call its own cmdlet makes (Get-AuthToken -Verify, Connect-EdgeConnector -Deployment's
/// handshake, Get-EdgePlaneIdentity). A refusal is Rejected; a server that cannot be asked
/// leaves the credential Unverified, since that says nothing about the credential itself.
/// </summary>
internal sealed class CredentialVerifier
{
    private readonly CoreContext _context;
    private readonly string? _baseUrl;

    public CredentialVerifier(CoreContext context, string? baseUrl)
    {
        _context = context;
        _baseUrl = baseUrl;
    }

    public Task PlatformTokenAsync(CredentialStatus status, JwtInfo jwt, TokenLocation location, CancellationToken cancellationToken) =>
        AskAsync(status, async () =>
        {
            var target = PlatformUrl.Choose(_baseUrl, _context.Environment, () => location.Config);
            // The stored login goes only to the platform it was saved for (or, from an older
            // file, one the invoker named); otherwise it stays unsent and Unverified, saying why.
            StoredLoginDestination.Check(TokenFile.Read(_context.Store, location.Path), location.Path, target);
            var platform = new ApiClient(target.Url);
            var result = await _context.Validator.ValidateAsync(jwt.Raw, new TokenValidationOptions(), platform, cancellationToken).ConfigureAwait(false);
            return result.UncheckedSignatureNote;
        });

    public Task DeploymentAsync(CredentialStatus status, DeploymentCredentials credentials, TokenLocation location, CancellationToken cancellationToken) =>
        AskAsync(status, async () =>
        {
            var platform = new ApiClient(PlatformUrl.Resolve(_baseUrl, _context.Environment, location.Config));
            await new EdgeConnectorSocket(platform).VerifyAsync(credentials, cancellationToken).ConfigureAwait(false);
            return null;
        });

    public Task EdgePlaneAsync(CredentialStatus status, EdgePlaneSession session, CancellationToken cancellationToken) =>
        AskAsync(status, async () =>
        {
            var baseUrl = EdgePlaneUrl.ForSession(null, session, status.Path!, _context.Environment);
            var identity = await EdgePlaneClient.WhoAmIAsync(baseUrl, session.Token, cancellationToken).ConfigureAwait(false);
            status.ExpiresAt = identity.ExpiresAt ?? status.ExpiresAt;
            return null;
        });

    /// <summary>-Verify on a kind no server can be asked about: said, and the state left as it is.</summary>
    public static void NotCheckable(CredentialStatus status, string why) => status.Problem ??= why;

    /// <summary>Only a credential that is usable offline is sent: an expired or unprotected one is already not Valid.</summary>
    private static async Task AskAsync(CredentialStatus status, Func<Task<string?>> ask)
    {
        if (status.State != CredentialState.Valid) return;
        try
        {
            var note = await ask().ConfigureAwait(false);
            status.VerifiedOnline = note == null;
            if (note != null) status.Downgrade(CredentialState.Unverified, note);
        }
        catch (NaraAuthException e) when (e.ErrorId == InstallationConfig.UntrustedErrorId || e.ErrorId == TokenLocation.TokenPathOutsideErrorId
            || e.ErrorId == StoredLoginDestination.ErrorId)
        {
            // Not sent (untrusted settings, or a platform the login does not belong to): nothing was learnt.
            status.Downgrade(CredentialState.Unverified, $"{e.Message} ({e.ErrorId})");
        }
        catch (NaraAuthException e) when (IsRefusal(e.Category))
        {
            status.VerifiedOnline = false;
            status.Downgrade(CredentialState.Rejected, e.Message);
        }
        catch (NaraAuthException e)
        {
            status.Downgrade(CredentialState.Unverified, e.Message);
        }
    }

    private static bool IsRefusal(NaraErrorCategory category) =>
        category == NaraErrorCategory.AuthenticationError || category == NaraErrorCategory.SecurityError
        || category == NaraErrorCategory.PermissionDenied || category == NaraErrorCategory.InvalidData;
}
