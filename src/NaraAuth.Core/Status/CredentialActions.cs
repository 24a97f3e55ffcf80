using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Status;

/// <summary>
/// What a person must do about each credential, in one sentence, or nothing: an expired, refused,
/// unreadable or unprotected credential, one that expires within the warning window, a file the
/// runtime account does not own, and server tokens older than the rotation age.
/// </summary>
public static class CredentialActions
{
    public static void Assess(CredentialStatus status, DateTimeOffset now, TimeSpan warningWindow)
    {
        status.Action = status.State switch
        {
            CredentialState.Missing or CredentialState.Valid or CredentialState.Unverified => null,
            CredentialState.Unprotected => $"Fix the file's owner or mode: {status.Problem}",
            _ => $"Renew or replace it: {status.Problem}",
        };
        if (status.Action != null) return;
        if (status.OwnerMatchesRuntimeAccount == false)
            status.Action = $"The file belongs to {status.Owner ?? "another account"}, not the runtime account: save it again with -RuntimeAccount.";
        else if (status.State == CredentialState.Valid && status.ExpiresAt is { } expires && expires - now <= warningWindow)
            status.Action = $"It expires at {TimeText.Of(expires)}, within {DurationText.Of(warningWindow)}: log in again before then.";
    }

    /// <summary>A rotation age must be a positive span: anything else would flag every token.</summary>
    public static void CheckRotationAge(TimeSpan rotationAge)
    {
        if (rotationAge <= TimeSpan.Zero)
            throw new NaraAuthException("InvalidRotationAge", NaraErrorCategory.InvalidArgument,
                $"-RotationAge must be a positive time span, not {rotationAge}.", "Pass the age after which a server token is due for rotation, e.g. -RotationAge 90.00:00:00 or (New-TimeSpan -Days 90).", rotationAge);
    }

    /// <summary>
    /// One record per server token older than <paramref name="rotationAge"/>, listed with the
    /// platform credential the platform cmdlets would use (the same resolution, so a stored login
    /// goes only to its own platform). When there is no such credential, or it cannot list tokens
    /// (not an admin's), a warning says why and nothing is added: the rest of the status stands.
    /// </summary>
    public static async Task<IReadOnlyList<CredentialStatus>> ServerTokensDueAsync(CoreContext context, string? baseUrl, string? installPath, TimeSpan rotationAge, IReporter reporter, CancellationToken cancellationToken)
    {
        CheckRotationAge(rotationAge);
        var due = new List<CredentialStatus>();
        PlatformClient client;
        try
        {
            var call = PlatformCall.Resolve(null, baseUrl, installPath, context);
            client = new PlatformClient(new ApiClient(call.BaseUrl, reporter: reporter), call.Credential);
        }
        catch (NaraAuthException e)
        {
            // No credential, or none that may go to this platform: the rest of the status still stands.
            reporter.Warning($"The server tokens' age was not checked: {e.Message}");
            return due;
        }
        IReadOnlyList<ServerTokenRecord> tokens;
        try
        {
            tokens = await client.ListServerTokensAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NaraAuthException e) when (e.Category is NaraErrorCategory.PermissionDenied or NaraErrorCategory.AuthenticationError)
        {
            reporter.Warning($"The server tokens' age was not checked: this credential cannot list them ({e.ErrorId}).");
            return due;
        }
        var now = context.Clock.UtcNow;
        foreach (var token in ServerTokenReview.DueForRotation(tokens, rotationAge, now))
        {
            due.Add(new CredentialStatus(CredentialKind.ServerToken, null)
            {
                Subject = $"{token.Name} ({token.Id})",
                Issuer = client.Api.BaseUrl.ToString().TrimEnd('/'),
                FoundBy = "GET /api/tokens",
                Action = $"Created {TimeText.Of(token.CreatedAt)}, older than {DurationText.Of(rotationAge)}: rotate it with Reset-ServerToken -Id {token.Id}.",
            });
        }
        return due;
    }
}
