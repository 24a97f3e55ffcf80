using System;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.EdgePlane.Login;

/// <summary>The browser prompt, then the grant polled for or, with -PromptForGrantId, typed by the person.</summary>
internal sealed class BrowserGrant : IEdgePlaneGrantSource
{
    private readonly IBrowserLauncher _browser;
    private readonly EdgePlaneLoginRequest _request;

    public BrowserGrant(IBrowserLauncher browser, EdgePlaneLoginRequest request)
    {
        _browser = browser;
        _request = request;
    }

    public bool NeedsPerson => true;

    public async Task<string> GetGrantAsync(CliLoginFlow flow, IReporter reporter, CancellationToken cancellationToken)
    {
        reporter.Verbose($"Starting the EdgePlane login at {flow.BaseUrl}.");
        var start = await flow.InitiateAsync(cancellationToken).ConfigureAwait(false);
        var service = $"EdgePlane at {EdgePlaneUrl.ToStored(flow.BaseUrl)}";
        new BrowserPrompt(_browser, reporter, _request.NoBrowser).Show(new BrowserPromptPage(service, start.AuthorizeUrl.AbsoluteUri) { ExpiresAt = start.ExpiresAt });
        try
        {
            if (_request.AskForGrantId is { } ask)
            {
                reporter.Information("After logging in, the success page shows a grant id (olg_...).");
                var typed = (await ask(cancellationToken).ConfigureAwait(false))?.Trim();
                cancellationToken.ThrowIfCancellationRequested();
                if (string.IsNullOrEmpty(typed))
                {
                    throw new NaraAuthException("EdgePlaneGrantMissing", NaraErrorCategory.InvalidArgument,
                        "No grant id was entered.", "Run Invoke-OidcCliLogin again, or pass -GrantId olg_...", "-GrantId");
                }
                return typed!;
            }
            return await flow.WaitForGrantAsync(start, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // docs/protocol.md 2.1 has no way to withdraw a started login: the nonce just expires.
            reporter.Information(BrowserPrompt.CancelledLine(service, pageCanStillFinish: true));
            throw;
        }
    }
}
