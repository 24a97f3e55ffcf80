using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Storage;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Core.Tests.EdgeConnector;

/// <summary>What an administrator is told about a token handed over with -Token.</summary>
public class HandedOverTokenTests
{
    private static SecureFileStore Store() => new(new FakeEnvironment());

    private static string Write(TempDir dir, string name, string content)
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void A_plain_text_file_is_called_plain_text_and_the_admin_is_told_what_a_token_file_is()
    {
        using var dir = new TempDir();
        var path = Write(dir, "handover.txt", "here is the token you asked for: secret-words");
        var error = Assert.Throws<NaraAuthException>(() => TokenInput.Resolve(path, dir.Path, Store(), out _));
        Assert.Equal("TokenFileNotJson", error.ErrorId);
        Assert.Contains("plain text", error.Message);
        Assert.DoesNotContain("not valid JSON", error.Message);
        Assert.Contains("{\"token\": \"<JWT>\"}", error.RecommendedAction);
        Assert.Contains("raw JWT", error.RecommendedAction);
        Assert.DoesNotContain("Run Connect-EdgeConnector", error.RecommendedAction);
        Assert.DoesNotContain("secret-words", error.ToString());
    }

    [Fact]
    public void Broken_JSON_and_JSON_without_a_token_are_told_the_same_shape()
    {
        using var dir = new TempDir();
        var broken = Assert.Throws<NaraAuthException>(() => TokenInput.Resolve(Write(dir, "a.json", "{\"token\": secret"), dir.Path, Store(), out _));
        Assert.Equal("TokenFileNotJson", broken.ErrorId);
        Assert.Contains("not valid JSON", broken.Message);
        Assert.Equal(SecretFileKind.GivenTokenFileAction, broken.RecommendedAction);
        var missing = Assert.Throws<NaraAuthException>(() => TokenInput.Resolve(Write(dir, "b.json", "{\"jwt\": \"x\"}"), dir.Path, Store(), out _));
        Assert.Equal("TokenFileMissingToken", missing.ErrorId);
        Assert.Equal(SecretFileKind.GivenTokenFileAction, missing.RecommendedAction);
    }

    [Fact]
    public void The_token_file_read_by_Get_AuthToken_still_says_how_to_log_in()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<NaraAuthException>(() => NaraAuth.Core.Tokens.TokenFile.Read(Store(), Write(dir, "auth-token.json", "plain words"), out _));
        Assert.Contains("plain text", error.Message);
        Assert.Contains("Connect-EdgeConnector", error.RecommendedAction);
    }

    [Fact]
    public async Task An_expired_handed_over_token_tells_the_admin_to_get_a_new_one_not_to_log_in()
    {
        await using var server = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var dir = new TempDir();
        var context = new CoreContext(new FakeEnvironment(), SystemClock.Instance, dir.Path);
        var onboarding = new EdgeConnectorOnboarding(context, new ApiClient(server.BaseUrl));
        var expired = server.State.MintToken(lifetime: TimeSpan.FromHours(-1));
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => onboarding.ValidateHandedOverAsync(expired, null, TestContext.Current.CancellationToken));
        Assert.Equal("TokenExpired", error.ErrorId);
        Assert.Contains("Get a new token from the platform", error.RecommendedAction);
        Assert.DoesNotContain("log in", error.RecommendedAction, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_token_shorter_lived_than_MinimumValidity_is_warned_about_at_once()
    {
        await using var server = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var dir = new TempDir();
        var context = new CoreContext(new FakeEnvironment(), SystemClock.Instance, dir.Path);
        var onboarding = new EdgeConnectorOnboarding(context, new ApiClient(server.BaseUrl));
        var shortLived = await onboarding.ValidateHandedOverAsync(server.State.MintToken(lifetime: TimeSpan.FromMinutes(20)), null, TestContext.Current.CancellationToken);
        var warning = onboarding.ShortLifeWarning(shortLived, TimeSpan.FromHours(1), handedOver: true);
        Assert.NotNull(warning);
        Assert.Contains("-MinimumValidity (60 min)", warning);
        Assert.Contains("from the platform", warning);
        var longLived = await onboarding.ValidateHandedOverAsync(server.State.MintToken(lifetime: TimeSpan.FromHours(8)), null, TestContext.Current.CancellationToken);
        Assert.Null(onboarding.ShortLifeWarning(longLived, TimeSpan.FromHours(1), handedOver: true));
    }
}
