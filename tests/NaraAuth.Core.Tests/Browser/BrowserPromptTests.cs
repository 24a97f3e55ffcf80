using NaraAuth.Core.Browser;
using NaraAuth.Core.Tests.EdgeConnector;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Tests.Browser;

/// <summary>The lines of the one browser prompt, for a page whose code is checked and for a device code page where it is entered.</summary>
public class BrowserPromptTests
{
    private static readonly DateTimeOffset Expires = new(2026, 12, 1, 12, 10, 0, TimeSpan.Zero);
    private readonly RecordingReporter _reporter = new();

    private static BrowserPromptPage DevicePage(bool withCode = true) => new("https://idp.example.com", "https://idp.example.com/device")
    {
        Code = "WDJB-MJHT",
        CodeIsEntered = true,
        UrlWithCode = withCode ? "https://idp.example.com/device?user_code=WDJB-MJHT" : null,
        ExpiresAt = Expires,
    };

    private List<string> Lines => _reporter.Information.ToList();

    [Fact]
    public void A_device_code_page_opens_with_the_code_filled_in_and_the_lines_say_the_code_to_enter_and_when_it_expires()
    {
        var browser = new RecordingBrowser();
        Assert.True(new BrowserPrompt(browser, _reporter, noBrowser: false).Show(DevicePage()));
        Assert.Equal(new[] { "https://idp.example.com/device?user_code=WDJB-MJHT" }, browser.Opened);
        Assert.Equal(new[]
        {
            "A browser window opened for the login to https://idp.example.com. If it did not appear, open this URL:",
            "https://idp.example.com/device",
            "Then enter the code WDJB-MJHT on that page, unless it is filled in already, and approve.",
            $"The code expires at {TimeText.Of(Expires)}; Ctrl+C stops waiting.",
        }, Lines);
    }

    [Fact]
    public void With_NoBrowser_nothing_opens_and_each_URL_stands_alone_on_its_line_for_any_device()
    {
        var browser = new RecordingBrowser();
        Assert.False(new BrowserPrompt(browser, _reporter, noBrowser: true).Show(DevicePage()));
        Assert.Empty(browser.Opened);
        Assert.Equal(new[]
        {
            "To log in to https://idp.example.com, open this URL in a browser, on this or another device (-NoBrowser):",
            "https://idp.example.com/device",
            "Then enter the code WDJB-MJHT on that page, unless it is filled in already, and approve.",
            "Or open this URL, which carries the code already:",
            "https://idp.example.com/device?user_code=WDJB-MJHT",
            $"The code expires at {TimeText.Of(Expires)}; Ctrl+C stops waiting.",
        }, Lines);
    }

    [Fact]
    public void When_no_browser_starts_the_reason_is_said_and_a_page_without_a_prefilled_URL_asks_for_the_code()
    {
        var browser = new RecordingBrowser(starts: false);
        Assert.False(new BrowserPrompt(browser, _reporter, noBrowser: false).Show(DevicePage(withCode: false)));
        Assert.Equal(new[] { "https://idp.example.com/device" }, browser.Opened);
        Assert.Equal(new[]
        {
            "Could not open a browser (no browser in this test). To log in to https://idp.example.com, open this URL in a browser, on this or another device:",
            "https://idp.example.com/device",
            "Then enter the code WDJB-MJHT on that page, and approve.",
            $"The code expires at {TimeText.Of(Expires)}; Ctrl+C stops waiting.",
        }, Lines);
    }

    [Fact]
    public void A_code_the_page_shows_is_checked_and_the_page_expires()
    {
        var page = new BrowserPromptPage("the Edge Connector", "https://app.example.com/desktop?code=WDJB") { Code = "WDJB", ExpiresAt = Expires };
        new BrowserPrompt(new RecordingBrowser(), _reporter, noBrowser: true).Show(page);
        Assert.Contains("Then check that the page shows the code WDJB, and approve.", Lines);
        Assert.Contains($"The login page expires at {TimeText.Of(Expires)}; Ctrl+C stops waiting.", Lines);
        Assert.DoesNotContain(Lines, l => l.Contains("enter the code", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cancelled_line_of_a_login_that_cannot_be_withdrawn_says_approving_does_nothing()
    {
        var line = BrowserPrompt.CancelledLine("https://idp.example.com", pageCanStillFinish: true);
        Assert.StartsWith("The login to https://idp.example.com was cancelled; nothing was saved.", line);
        Assert.Contains("approving it logs nobody in", line);
    }
}
