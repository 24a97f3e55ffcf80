using NaraAuth.Emulator;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// A person keeps one PowerShell window open while the platform restarts with a new signing key
/// (here: the emulator, which makes a new key at every start). The next login in that window
/// must verify against the new key, not fail on the keys cached before the restart.
/// </summary>
public class PlatformRestartTests
{
    [Fact]
    public async Task A_login_after_the_platform_restarted_verifies_in_the_same_session()
    {
        using var session = new PsSession();
        int port;
        string first;
        await using (var before = await EmulatorServer.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken))
        {
            port = before.BaseUrl.Port;
            first = before.State.MintToken();
            var connected = session.Run("Connect-EdgeConnector -Token $args[0] -BaseUrl $args[1] | ForEach-Object Status", first, before.BaseUrl.ToString());
            Assert.Equal("Connected", connected.Single<object>().ToString());
        }

        await using var after = await EmulatorServer.StartAsync(new EmulatorOptions { Port = port }, TestContext.Current.CancellationToken);
        var second = after.State.MintToken();
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -BaseUrl $args[1] -Force | ForEach-Object Status", second, after.BaseUrl.ToString());
        Assert.Equal("Connected", result.Single<object>().ToString());
        var verified = session.Run("Get-AuthToken -Verify -BaseUrl $args[0] | ForEach-Object SignatureVerified", after.BaseUrl.ToString());
        Assert.True((bool)verified.Single<object>());
        foreach (var secret in new[] { first, second })
        {
            result.AssertNoSecret(secret);
            verified.AssertNoSecret(secret);
        }
    }
}
