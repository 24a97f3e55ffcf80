using NaraAuth.Core.Text;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Browser;

/// <summary>
/// The one prompt of every browser login (the Edge Connector desktop login, the EdgePlane CLI
/// login, direct OIDC with a browser or a device code): the browser is opened unless the person said -NoBrowser, and the lines are
/// worded here once and sent through the call's reporter. The URL always stands alone on its own
/// line, so a narrow console or a progress bar never cuts it; the wait's countdown only counts.
/// </summary>
public sealed class BrowserPrompt
{
    private readonly IBrowserLauncher _browser;
    private readonly IReporter _reporter;
    private readonly bool _noBrowser;

    public BrowserPrompt(IBrowserLauncher browser, IReporter reporter, bool noBrowser)
    {
        _browser = browser;
        _reporter = reporter;
        _noBrowser = noBrowser;
    }

    /// <summary>Opens <paramref name="page"/> (unless -NoBrowser) and tells the person what to do; true when a browser was started.</summary>
    public bool Show(BrowserPromptPage page)
    {
        if (_noBrowser)
        {
            ShowByHand(page, null);
            return false;
        }
        var launch = _browser.Open(page.UrlWithCode ?? page.Url);
        if (launch.Started) ShowOpened(page, launch.Description);
        else ShowByHand(page, launch.Description);
        return launch.Started;
    }

    /// <summary>A browser was started at the page (<paramref name="how"/>: with what).</summary>
    public void ShowOpened(BrowserPromptPage page, string how)
    {
        _reporter.Verbose($"Opened the login page with {how}.");
        if (page.UrlOnlyWhenNotOpened)
        {
            _reporter.Information($"A browser window opened for the login to {page.Service}; finish the login there.");
        }
        else
        {
            _reporter.Information($"A browser window opened for the login to {page.Service}. If it did not appear, open this URL:");
            _reporter.Information(page.Url);
        }
        ShowCodeAndExpiry(page);
    }

    /// <summary>The person opens the page: -NoBrowser (<paramref name="whyNotOpened"/> null), or no browser could be started.</summary>
    public void ShowByHand(BrowserPromptPage page, string? whyNotOpened)
    {
        var where = page.OnThisMachineOnly ? "in a browser on this machine" : "in a browser, on this or another device";
        _reporter.Information(whyNotOpened == null
            ? $"To log in to {page.Service}, open this URL {where} (-NoBrowser):"
            : $"Could not open a browser ({whyNotOpened}). To log in to {page.Service}, open this URL {where}:");
        _reporter.Information(page.Url);
        ShowCode(page);
        if (page.UrlWithCode != null)
        {
            _reporter.Information("Or open this URL, which carries the code already:");
            _reporter.Information(page.UrlWithCode);
        }
        ShowExpiry(page);
    }

    private void ShowCodeAndExpiry(BrowserPromptPage page)
    {
        ShowCode(page);
        ShowExpiry(page);
    }

    private void ShowCode(BrowserPromptPage page)
    {
        if (page.Code == null) return;
        _reporter.Information(!page.CodeIsEntered ? $"Then check that the page shows the code {page.Code}, and approve."
            : page.UrlWithCode != null ? $"Then enter the code {page.Code} on that page, unless it is filled in already, and approve."
            : $"Then enter the code {page.Code} on that page, and approve.");
    }

    private void ShowExpiry(BrowserPromptPage page)
    {
        if (page.ExpiresAt is { } expires)
            _reporter.Information($"{(page.CodeIsEntered ? "The code" : "The login page")} expires at {TimeText.Of(expires)}; Ctrl+C stops waiting.");
    }

    /// <summary>Said after Ctrl+C: nothing was saved, and what the page left open in the browser can still do.</summary>
    /// <param name="pageCanStillFinish">
    /// True when the protocol has no way to withdraw the login (the desktop, EdgePlane and device
    /// code logins): approving the page still completes it at the server, for nobody, until it expires. False
    /// when the answer had to come back to this process (a loopback redirect), which is gone.
    /// </param>
    public static string CancelledLine(string service, bool pageCanStillFinish) => pageCanStillFinish
        ? $"The login to {service} was cancelled; nothing was saved. The page left open in the browser will do nothing here: approving it logs nobody in, and it expires on its own."
        : $"The login to {service} was cancelled; nothing was saved. The page left open in the browser will do nothing: its answer has nowhere to go now.";
}
