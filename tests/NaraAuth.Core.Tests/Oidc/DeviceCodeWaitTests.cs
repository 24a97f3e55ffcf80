using NaraAuth.Core.Oidc;

namespace NaraAuth.Core.Tests.Oidc;

/// <summary>The device code wait is bounded locally, whatever lifetime the provider gives the code.</summary>
public class DeviceCodeWaitTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_code_that_lives_a_year_is_waited_for_only_as_long_as_the_local_limit()
    {
        var (deadline, local) = DeviceCodeFlow.WaitDeadline(Now, Now.AddYears(1), DeviceCodeFlow.DefaultMaxWait);
        Assert.Equal((Now + TimeSpan.FromMinutes(30), true), (deadline, local));
    }

    [Fact]
    public void A_code_that_expires_first_ends_the_wait_at_its_expiry()
    {
        var (deadline, local) = DeviceCodeFlow.WaitDeadline(Now, Now.AddMinutes(10), TimeSpan.FromMinutes(30));
        Assert.Equal((Now.AddMinutes(10), false), (deadline, local));
    }
}
