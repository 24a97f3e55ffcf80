using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Text;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>
/// What every login mode of one call shares: the request, where the token goes, the platform, the
/// runtime account, and the steps of docs/protocol.md 1.3 to 1.5 that the token modes have in
/// common: keeping a stored token that already does the job, saving, and syncing the bundle.
/// </summary>
internal sealed class EdgeConnectorLoginSteps
{
    public EdgeConnectorLoginSteps(CoreContext context, EdgeConnectorLoginRequest request, IReporter reporter, IBrowserLauncher browser)
    {
        Context = context;
        Request = request;
        Reporter = reporter;
        Browser = browser;
        // Resolved before anything is sent or written: an unknown account stops the call here.
        Owner = Storage.RuntimeAccount.FromParameters(request.RuntimeAccount, request.AllowAdministrators, context.Environment);
        Location = TokenLocation.Resolve(context.Environment, request.TokenPath, request.InstallPath, context.CurrentDirectory);
        // Who named the platform decides whether a stored login may be sent there.
        Target = PlatformUrl.Choose(request.BaseUrl, context.Environment, () => Location.Config);
        Platform = new ApiClient(Target.Url, reporter: reporter);
        Onboarding = new EdgeConnectorOnboarding(context, Platform);
    }

    public CoreContext Context { get; }
    public EdgeConnectorLoginRequest Request { get; }
    public IReporter Reporter { get; }
    public IBrowserLauncher Browser { get; }
    public RuntimeAccount? Owner { get; }
    public TokenLocation Location { get; }
    public PlatformTarget Target { get; }
    public ApiClient Platform { get; }
    public EdgeConnectorOnboarding Onboarding { get; }

    public string OwnerText => Owner?.Description ?? "owner-only";

    /// <summary>" and the default bundle ('...')" unless -SkipBundleSync.</summary>
    public string BundleClause => Request.SkipBundleSync ? string.Empty : $" and the default bundle ('{Location.BundlePath}')";

    /// <summary>
    /// Idempotent onboarding: a plan that keeps the stored token when it already does the job
    /// (valid, for the organization asked, long enough), or null when a new one is needed. The
    /// plan asks only when it would give the files to -RuntimeAccount.
    /// </summary>
    public async Task<EdgeConnectorLoginPlan?> PlanReuseAsync(EdgeConnectorLoginMode mode, string? organization, CancellationToken cancellationToken)
    {
        if (Request.Force) return null;
        var existing = await Onboarding.FindReusableAsync(Location, organization, Request.MinimumValidity, cancellationToken, Target, Owner).ConfigureAwait(false);
        if (existing == null) return null;
        var others = Owner != null ? Onboarding.NotOwnedBy(Location, Owner) : Array.Empty<string>();
        var target = string.Join("', '", others);
        var action = others.Count > 0 ? $"Give to the runtime account '{Owner}' (the token stays the same)" : null;
        return new EdgeConnectorLoginPlan(mode, others.Count > 0 ? target : Location.Path, action, (confirmed, _) =>
        {
            var handedOver = false;
            if (others.Count > 0 && confirmed)
            {
                Onboarding.HandOver(Location, others, Owner!);
                handedOver = true;
                Reporter.Verbose($"Gave '{target}' to the runtime account '{Owner}'.");
            }
            WarnIfUnreachable(Location.Path);
            var changed = handedOver ? $"only its files were given to the runtime account '{Owner}'" : "nothing was changed";
            Reporter.Information($"Already connected: the token in '{Location.Path}' is valid for organization '{existing.Jwt.Organization}' until {TimeText.Of(existing.Jwt.ExpiresAt)}; {changed} (use -Force to replace it).");
            return Task.FromResult<EdgeConnectorLoginResult?>(new EdgeConnectorLoginResult(mode, EdgeConnectorLoginStatus.AlreadyConnected, Platform.BaseUrl)
            {
                Token = existing,
                Location = Location,
                BundlePath = File.Exists(Location.BundlePath) ? Location.BundlePath : null,
            });
        });
    }

    /// <summary>Saves a validated token owner-only (or for -RuntimeAccount), then syncs the default bundle unless -SkipBundleSync.</summary>
    public async Task<EdgeConnectorLoginResult> SaveAndSyncAsync(TokenValidationResult validated, EdgeConnectorLoginMode mode, CancellationToken cancellationToken)
    {
        if (validated.UncheckedSignatureNote is { } unverified) Reporter.Warning(unverified + ".");
        // Ctrl+C after the last network answer must still leave the disk untouched.
        cancellationToken.ThrowIfCancellationRequested();
        Onboarding.SaveToken(Location, validated.Jwt.Raw, Request.Force, Owner);
        Reporter.Verbose($"Saved the token to '{Location.Path}' (chosen by {Location.Source}, {OwnerText}).");
        WarnIfUnreachable(Location.Path);
        if (Location.UserFolderNote is { } note) Reporter.Verbose(note);

        var result = new EdgeConnectorLoginResult(mode, EdgeConnectorLoginStatus.Connected, Platform.BaseUrl) { Token = validated, Location = Location };
        if (Request.SkipBundleSync) return result;
        try
        {
            var bundle = await Onboarding.DownloadBundleAsync(Location, validated.Jwt.Raw, cancellationToken).ConfigureAwait(false);
            Onboarding.SaveBundle(Location, bundle, Owner);
            result.BundlePath = Location.BundlePath;
            Reporter.Verbose($"Saved the default bundle to '{Location.BundlePath}'.");
        }
        catch (NaraAuthException e)
        {
            // The login itself succeeded and is kept; only the bundle is missing.
            result.BundleError = e;
        }
        return result;
    }

    /// <summary>Warns when the runtime account could not reach a file written or kept for it.</summary>
    public void WarnIfUnreachable(string path)
    {
        if (Owner != null && RuntimeReach.Problem(path, Owner) is { } warning) Reporter.Warning(warning);
    }
}
