using NaraAuth.Core.Text;
using NaraAuth.Core.Browser;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Oidc.Browser;

namespace NaraAuth.Core.Tests.Oidc;

/// <summary>The OS-independent rules behind the browser login: what counts as an answer, the pages, expiry, detaching the browser.</summary>
public class LoginPresentationTests
{
    [Theory]
    [InlineData("code=abc&state=x", "code", true)]
    [InlineData("error=access_denied&state=x", "error", true)]
    [InlineData("state=x", "code", false)]
    [InlineData("code=&state=x", "code", false)]
    [InlineData("xcode=abc", "code", false)]
    [InlineData("", "error", false)]
    public void Only_a_non_empty_code_or_error_makes_a_request_the_login_answer(string parameters, string name, bool expected) =>
        Assert.Equal(expected, LoopbackRedirectListener.HasParameter(parameters, name));

    [Fact]
    public void The_final_pages_encode_what_they_show_and_say_what_happened()
    {
        var ok = FinalPage.Success("Grace <grace@example.com>", "cli<script>", "https://idp.example.com/");
        Assert.Contains("You are logged in", ok);
        Assert.Contains("Grace &lt;grace@example.com&gt;", ok);
        Assert.DoesNotContain("<script>", ok);
        var refused = FinalPage.Failure("PowerShell refused the login", "The ID token's signature does not verify.");
        Assert.Contains("PowerShell refused the login", refused);
        Assert.Contains("Nothing was saved", refused);
        Assert.DoesNotContain("You are logged in", refused);
    }

    [Fact]
    public void A_session_expires_with_whichever_token_expires_first()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        OidcSession Session(DateTimeOffset? id, DateTimeOffset? access) => new("https://idp", "cli", "openid",
            new OidcIdentity("ada", null, null, "https://idp", id), new OidcTokens("a.b.c", "x", null, access), now);
        Assert.Equal(now.AddMinutes(3), Session(now.AddHours(1), now.AddMinutes(3)).ExpiresAt);
        Assert.Equal("access token", Session(now.AddHours(1), now.AddMinutes(3)).ExpiringToken);
        Assert.False(Session(now.AddHours(1), now.AddMinutes(3)).IsValidFor(now, OidcLogin.ReuseMargin));
        Assert.Equal(now.AddHours(1), Session(now.AddHours(1), null).ExpiresAt);
        Assert.Equal("ID token", Session(now.AddMinutes(10), now.AddHours(1)).ExpiringToken);
        Assert.True(Session(now.AddMinutes(10), now.AddHours(1)).IsValidFor(now, OidcLogin.ReuseMargin));
    }

    [Fact]
    public void The_browser_is_started_through_setsid_when_there_is_one()
    {
        Assert.Equal(("/usr/bin/setsid", "/opt/browser \"https://x/?a=1&b=2\""), SystemBrowserLauncher.DetachedWith("/usr/bin/setsid", "/opt/browser", "\"https://x/?a=1&b=2\""));
        Assert.Equal(("/usr/bin/setsid", "\"/opt/my browser\""), SystemBrowserLauncher.DetachedWith("/usr/bin/setsid", "/opt/my browser", string.Empty));
        Assert.Equal(("xdg-open", "url"), SystemBrowserLauncher.DetachedWith(null, "xdg-open", "url"));
    }

    [Fact]
    public void The_refusal_without_a_person_names_the_headless_ways()
    {
        var e = Interactivity.NonInteractiveError("this is a CI job", "A browser login", "-UseDeviceCode", "Invoke-OidcCliLogin -UseDeviceCode");
        Assert.Equal("BrowserLoginNotInteractive", e.ErrorId);
        Assert.Contains("needs a person at this machine, but this is a CI job. What works headless: -UseDeviceCode.", e.Message);
        Assert.Equal("9:59", DurationText.Clock(TimeSpan.FromSeconds(598.2)));
        Assert.Equal("10 min", DurationText.Of(TimeSpan.FromMinutes(10)));
    }
}
