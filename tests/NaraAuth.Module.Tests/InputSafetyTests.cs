using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using System.Text;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// Hostile content in files and parameters: YAML aliases that would crash or flood the process,
/// control characters in credentials, and a scrypt hash at the policy's limit; each ends in its own
/// error id (or a prompt stop), never a crash or a raw .NET exception.
/// </summary>
public class InputSafetyTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public InputSafetyTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string WriteConfig(PsSession session, string text)
    {
        var path = Path.Combine(session.TempDir, "deployment.yaml");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        session.SetEnv("NODETOOL_CONFIG_PATH", path);
        return path;
    }

    [Fact]
    public void Reset_WorkerToken_refuses_a_self_referencing_alias_instead_of_overflowing_the_stack()
    {
        using var session = new PsSession();
        const string text = "worker_auth_token: old-token-value\nloop: &a [*a]\n";
        var path = WriteConfig(session, text);
        var result = session.Run("Reset-WorkerToken -AsPlainText -Confirm:$false");
        var error = result.AssertError("WorkerConfigInvalid", ErrorCategory.InvalidData);
        Assert.Contains("alias", error.Exception.Message);
        Assert.Equal(text, File.ReadAllText(path));
        result.AssertNoSecret("old-token-value");
    }

    [Fact]
    public void An_alias_bomb_is_refused_quickly_without_expanding_it()
    {
        using var session = new PsSession();
        var bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
            bomb.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(",", Enumerable.Repeat("*" + (char)(level - 1), 9))).Append("]\n");
        WriteConfig(session, bomb + "worker_auth_token: old-token-value\n");
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = session.Run("Reset-WorkerToken -Confirm:$false");
        result.AssertError("WorkerConfigInvalid", ErrorCategory.InvalidData);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 200L * 1024 * 1024, "the aliases were expanded");
    }

    [Fact]
    public void Deep_nesting_is_refused_before_the_document_is_built()
    {
        using var session = new PsSession();
        WriteConfig(session, "deep: " + new string('[', 5000) + new string(']', 5000) + "\n");
        session.Run("Get-AuthToken -Worker").AssertError("WorkerConfigInvalid", ErrorCategory.InvalidData);
    }

    [Fact]
    public void A_deployment_yaml_larger_than_a_config_file_can_be_is_refused_unread()
    {
        using var session = new PsSession();
        WriteConfig(session, "notes: \"" + new string('x', 2 * 1024 * 1024) + "\"\n");
        session.Run("Get-AuthToken -Worker").AssertError("WorkerConfigTooLarge", ErrorCategory.LimitsExceeded);
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("nul\0char")]
    public void A_token_with_a_control_character_gets_its_own_error(string token)
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var result = session.Run("Invoke-NaraRestMethod /api/me/organizations -Token $args[0]", "nara_tk_" + token);
        var error = result.AssertError("TokenInvalidCharacters", ErrorCategory.InvalidArgument);
        Assert.DoesNotContain("nara_tk_", error.Exception.Message);

        // An environment variable ends at a NUL, so only line breaks can arrive through NARA_TOKEN.
        if (token.Contains('\0')) return;
        session.SetEnv("NARA_TOKEN", "nara_tk_" + token);
        session.Run("Get-NaraAgent").AssertError("TokenInvalidCharacters", ErrorCategory.InvalidArgument);
    }

    [Fact]
    public void A_deployment_secret_or_id_with_a_line_break_gets_its_own_error()
    {
        using var session = new PsSession();
        session.SetEnv("DEPLOYMENT_ID", "dep_abc123");
        session.SetEnv("DEPLOYMENT_SECRET", "sec_xyz\n789");
        var secret = session.Run("Connect-EdgeConnector -Deployment -BaseUrl $args[0]", _emulator.BaseUrl);
        secret.AssertError("DeploymentSecretInvalidCharacters", ErrorCategory.InvalidArgument);
        secret.AssertNoSecret("sec_xyz");

        session.SetEnv("DEPLOYMENT_ID", "dep\r\nX-Injected: 1");
        session.SetEnv("DEPLOYMENT_SECRET", "sec_xyz789");
        session.Run("Connect-EdgeConnector -Deployment -BaseUrl $args[0]", _emulator.BaseUrl)
            .AssertError("DeploymentIdInvalidCharacters", ErrorCategory.InvalidArgument);
        Assert.Empty(_emulator.State.EdgeConnector.AcceptedSockets);
    }

    [Fact]
    public void A_live_check_key_with_a_NUL_gets_its_own_error()
    {
        using var session = new PsSession();
        var result = session.Run("Test-ApiKey -ApiKey $args[0] -Uri $args[1]", "key\0value", _emulator.BaseUrl + "/worker/v1/models");
        result.AssertError("ApiKeyInvalidCharacters", ErrorCategory.InvalidArgument);
        result.AssertNoSecret("key\0value");
    }

    [Fact]
    public void A_verification_at_the_policy_limit_stops_within_a_second_on_Ctrl_C()
    {
        using var session = new PsSession();
        // ln=18, r=8: 256 MiB and four times the generation cost, the most the policy allows.
        var atLimit = B64("$scrypt$ln=18,r=8,p=1$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c");
        using var running = session.Start("Test-ApiKey -ApiKey secret-key-at-the-limit -Hash $args[0]", atLimit);
        Thread.Sleep(150);
        Assert.False(running.IsCompleted, "the verification finished before Ctrl+C could be tested");
        var took = running.Stop();
        Assert.True(took < TimeSpan.FromSeconds(1), $"Stopping took {took.TotalMilliseconds:0} ms");
        var result = running.Finish(TimeSpan.FromSeconds(5));
        Assert.Empty(result.Output);
        result.AssertNoSecret("secret-key-at-the-limit");
    }

    [Fact]
    public void More_work_than_the_policy_allows_is_refused_before_scrypt_runs()
    {
        using var session = new PsSession();
        var watch = Stopwatch.StartNew();
        var result = session.Run("Test-ApiKey -ApiKey some-key -Hash $args[0]", B64("$scrypt$ln=16,r=8,p=16$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"));
        Assert.Equal("ParametersTooLarge", (string)((dynamic)result.Single<object>()).Status.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
