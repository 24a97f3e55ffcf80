namespace NaraAuth.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void Iso8601_formats_with_milliseconds_and_Z()
    {
        Assert.Equal("2025-01-15T10:30:00.000Z", NaraAuth.Core.Tokens.Iso8601.Format(new DateTimeOffset(2025, 1, 15, 10, 30, 0, TimeSpan.Zero)));
    }
}
