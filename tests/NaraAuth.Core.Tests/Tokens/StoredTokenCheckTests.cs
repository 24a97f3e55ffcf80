using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.Tests.Tokens;

/// <summary>Get-AuthToken's check of the stored token, without the engine: what it reads, and the warnings it words itself.</summary>
public sealed class StoredTokenCheckTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 1, 15, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("naraauth-check-").FullName;
    private readonly RecordingReporter _reporter = new();
    private readonly CoreContext _context;

    public StoredTokenCheckTests()
    {
        _context = new CoreContext(new FakeEnvironment(_dir), new FakeClock(Now), _dir, _reporter);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteToken(DateTimeOffset expires)
    {
        var jwt = UnsignedJwt.Of(new { sub = "user_1", org = "org_1", org_name = "Acme", role = "admin", exp = expires.ToUnixTimeSeconds(), iat = Now.AddHours(-1).ToUnixTimeSeconds() });
        var path = Path.Combine(_dir, "auth-token.json");
        File.WriteAllText(path, "{\"token\": \"" + jwt + "\", \"savedAt\": \"2025-01-15T09:00:00.000Z\"}");
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private StoredTokenCheck Check(StoredTokenQuery query) =>
        StoredTokenCheck.RunAsync(query, _context, _reporter, null, TestContext.Current.CancellationToken).GetAwaiter().GetResult();

    [Fact]
    public void A_token_expiring_within_the_window_is_read_offline_and_warned_about_through_the_reporter()
    {
        var path = WriteToken(Now.AddMinutes(5));
        var check = Check(new StoredTokenQuery { TokenPath = path });

        Assert.Equal(path, check.Stored.Location.Path);
        Assert.Equal("Acme", check.OrganizationName);
        Assert.False(check.SignatureVerified);
        Assert.Null(check.OwnerMatchesRuntimeAccount);
        var warning = Assert.Single(_reporter.Warnings);
        Assert.Contains(path, warning);
        Assert.Contains("Connect-EdgeConnector", warning);
        // Offline: nothing was asked of a platform, so no word about its signing keys.
        Assert.DoesNotContain(_reporter.Warnings, w => w.Contains("signing keys"));
        Assert.Contains(_reporter.Verbose, v => v.StartsWith("Reading the token from '" + path + "'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_good_for_longer_than_the_window_gives_no_warning()
    {
        var path = WriteToken(Now.AddHours(8));
        Check(new StoredTokenQuery { TokenPath = path, WarningWindow = TimeSpan.FromMinutes(30) });
        Assert.Empty(_reporter.Warnings);
    }

    [Fact]
    public void A_runtime_account_that_does_not_own_the_file_is_warned_about_and_told_how_to_hand_it_over()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The account named here is a Unix one; the SID comparison has its own tests.");
        var path = WriteToken(Now.AddHours(8));
        var nobody = RuntimeAccount.Find("nobody", new FakeEnvironment { IsWindows = false });

        var check = Check(new StoredTokenQuery { TokenPath = path, RuntimeAccount = nobody });

        Assert.False(check.OwnerMatchesRuntimeAccount);
        Assert.NotNull(check.Owner);
        var warning = Assert.Single(_reporter.Warnings);
        Assert.Contains("not to the runtime account 'nobody'", warning);
        Assert.Contains("Connect-EdgeConnector -RuntimeAccount 'nobody'", warning);
    }
}
