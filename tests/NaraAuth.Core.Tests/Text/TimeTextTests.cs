using System.Text.RegularExpressions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Text;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.Tests.Text;

/// <summary>One time form wherever a person reads a time: local, with its offset.</summary>
public class TimeTextTests
{
    private const string Form = @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d";

    [Fact]
    public void A_time_reads_as_local_time_with_its_offset_and_names_the_same_instant()
    {
        var instant = new DateTimeOffset(2026, 12, 1, 5, 14, 0, TimeSpan.Zero);
        var text = TimeText.Of(instant);
        Assert.Matches("^" + Form + "$", text);
        Assert.Equal(instant, DateTimeOffset.ParseExact(text, TimeText.Format, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("(unknown)", TimeText.Of((DateTimeOffset?)null));
    }

    [Fact]
    public void An_expired_token_error_and_the_expiry_warning_use_the_one_form()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        using var emulator = new Emulator.EmulatorState(new Emulator.EmulatorOptions());
        var expired = emulator.MintToken(lifetime: TimeSpan.FromHours(-1));
        var error = Assert.Throws<NaraAuthException>(() => new TokenValidator(new FakeClock(DateTimeOffset.UtcNow)).ValidateOffline(expired, new TokenValidationOptions()));
        Assert.Equal("TokenExpired", error.ErrorId);
        Assert.Matches("expired at " + Form + @"\.$", error.Message);

        var warning = ExpiryNotice.For("The token", now.AddMinutes(30), now, TimeSpan.FromHours(1), "Renew it.");
        Assert.Matches("at " + Form + @"\. Renew it\.$", warning!);
        Assert.DoesNotMatch(@"\d\dZ\b", warning!);
    }
}
