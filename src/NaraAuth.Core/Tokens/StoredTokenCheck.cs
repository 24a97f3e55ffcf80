using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tokens;

/// <summary>
/// The stored Edge Connector token, read and checked: offline always, against the platform it was
/// saved for with -Verify. The warnings (unchecked signature, expiry within the window, a file the
/// runtime account does not own) are worded here and go through the reporter.
/// </summary>
public sealed class StoredTokenCheck
{
    private StoredTokenCheck(StoredToken stored, string? organizationName, bool signatureVerified, FileOwner? owner, bool? ownerMatches, DateTimeOffset checkedAt)
    {
        Stored = stored;
        OrganizationName = organizationName;
        SignatureVerified = signatureVerified;
        Owner = owner;
        OwnerMatchesRuntimeAccount = ownerMatches;
        CheckedAt = checkedAt;
    }

    public StoredToken Stored { get; }
    /// <summary>From the platform with -Verify, else the org_name claim.</summary>
    public string? OrganizationName { get; }
    public bool SignatureVerified { get; }
    public FileOwner? Owner { get; }
    /// <summary>Null without -RuntimeAccount (or when the owner cannot be read).</summary>
    public bool? OwnerMatchesRuntimeAccount { get; }
    public DateTimeOffset CheckedAt { get; }

    /// <param name="onLocation">Hears of the token file before it is read (the cmdlet names it on its errors).</param>
    public static async Task<StoredTokenCheck> RunAsync(StoredTokenQuery query, CoreContext context, IReporter reporter, Action<string>? onLocation, CancellationToken cancellationToken)
    {
        var location = TokenLocation.Resolve(context.Environment, query.TokenPath, query.InstallPath, context.CurrentDirectory);
        onLocation?.Invoke(location.Path);
        reporter.Verbose($"Reading the token from '{location.Path}' (chosen by {location.Source}).");
        if (location.UserFolderNote is { } note) reporter.Verbose(note);
        var options = new TokenValidationOptions { AllowExpired = query.AllowExpired };
        var stored = StoredToken.Read(location, context.Store, context.Validator, options);

        var signatureVerified = false;
        var organizationName = stored.Jwt.OrganizationName;
        if (query.Verify)
        {
            var target = PlatformUrl.Choose(query.BaseUrl, context.Environment, () => location.Config);
            StoredLoginDestination.Check(stored.File, location.Path, target);
            var platform = new ApiClient(target.Url, reporter: reporter);
            reporter.Verbose($"Verifying the token against {platform.BaseUrl}.");
            var result = await context.Validator.ValidateAsync(stored.Jwt.Raw, options, platform, cancellationToken).ConfigureAwait(false);
            signatureVerified = result.SignatureVerified;
            organizationName = result.OrganizationName;
            if (result.UncheckedSignatureNote is { } unverified) reporter.Warning(unverified + ".");
        }

        var now = context.Clock.UtcNow;
        if (ExpiryNotice.For($"The token in '{location.Path}'", stored.Jwt.ExpiresAt, now, query.WarningWindow, "Log in again with Connect-EdgeConnector.") is { } expiry)
            reporter.Warning(expiry);

        var owner = FileOwner.Of(location.Path);
        var account = query.RuntimeAccount;
        bool? ownerMatches = account == null || owner == null ? null : owner.IsAccount(account);
        if (ownerMatches == false)
            reporter.Warning($"The token file '{location.Path}' belongs to '{owner}', not to the runtime account '{account}', which may not be able to read it. Run Connect-EdgeConnector -RuntimeAccount '{account}' to hand it over.");
        return new StoredTokenCheck(stored, organizationName, signatureVerified, owner, ownerMatches, now);
    }
}
