using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.Tests.Tokens;

/// <summary>Get-AuthToken's expiry warnings, and the EdgePlane session's expiry rule.</summary>
public class ExpiryNoticeTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Again = "Log in again with Connect-EdgeConnector.";

    [Fact]
    public void A_credential_far_from_expiry_or_without_one_gets_no_warning()
    {
        Assert.Null(ExpiryNotice.For("The token in 't.json'", Now.AddHours(2), Now, TimeSpan.FromMinutes(10), Again));
        Assert.Null(ExpiryNotice.For("The token in 't.json'", null, Now, TimeSpan.FromMinutes(10), Again));
    }

    [Fact]
    public void A_credential_inside_the_window_says_when_it_expires()
    {
        var warning = ExpiryNotice.For("The token in 't.json'", Now.AddMinutes(5).AddSeconds(30), Now, TimeSpan.FromMinutes(10), Again);
        Assert.Equal($"The token in 't.json' expires in 5 minute(s), at {NaraAuth.Core.Text.TimeText.Of(Now.AddMinutes(5).AddSeconds(30))}. Log in again with Connect-EdgeConnector.", warning);
    }

    [Fact]
    public void An_expired_credential_says_so_even_at_the_exact_second()
    {
        Assert.Equal("The token in 't.json' has expired. " + Again, ExpiryNotice.For("The token in 't.json'", Now, Now, TimeSpan.Zero, Again));
        Assert.Equal("The token in 't.json' has expired. " + Again, ExpiryNotice.For("The token in 't.json'", Now.AddDays(-1), Now, TimeSpan.FromMinutes(10), Again));
    }

    [Fact]
    public void An_expired_EdgePlane_session_fails_unless_expired_ones_are_allowed()
    {
        var session = new EdgePlaneSession("mcs_expiry_test_token", "u1", null, Now.AddMinutes(-1), "https://edgeplane.example", 7);
        var e = Assert.Throws<NaraAuthException>(() => session.CheckExpiry("s.json", Now, TimeSpan.FromMinutes(10), allowExpired: false));
        Assert.Equal("EdgePlaneSessionExpired", e.ErrorId);
        Assert.Equal(NaraErrorCategory.AuthenticationError, e.Category);
        Assert.Equal("s.json", e.Target);
        Assert.DoesNotContain("mcs_expiry_test_token", e.Message);

        var warning = session.CheckExpiry("s.json", Now, TimeSpan.FromMinutes(10), allowExpired: true);
        Assert.Equal("The EdgePlane session in 's.json' has expired. Log in again with Invoke-OidcCliLogin.", warning);
    }

    [Fact]
    public void An_EdgePlane_session_close_to_expiry_warns_and_a_fresh_one_does_not()
    {
        var soon = new EdgePlaneSession("mcs_a", "u1", null, Now.AddMinutes(3), "https://edgeplane.example", 7);
        Assert.StartsWith("The EdgePlane session in 's.json' expires in 3 minute(s)", soon.CheckExpiry("s.json", Now, TimeSpan.FromMinutes(10), allowExpired: false));
        var fresh = new EdgePlaneSession("mcs_b", "u1", null, Now.AddHours(3), "https://edgeplane.example", 7);
        Assert.Null(fresh.CheckExpiry("s.json", Now, TimeSpan.FromMinutes(10), allowExpired: false));
    }
}
