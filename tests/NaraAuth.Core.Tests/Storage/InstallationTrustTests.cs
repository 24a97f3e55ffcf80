using System.Text;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Platform;
using static NaraAuth.Core.Tests.Storage.UnixTestTools;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>
/// Root onboarding a machine for a runtime account that owns its installation folder, or only its
/// config.json (docs/decisions/installation-trust.md): nothing the account can write steers where
/// root writes, which token is handed over, or where a login is sent, and no file it swaps in
/// (a symbolic link, a named pipe) blocks root or leads its write into a folder of root's. Run as
/// root with two accounts made for the class; without root they skip with the reason.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class InstallationTrustTests : IClassFixture<ThrowawayAccounts>
{
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Rwx = Rw | UnixFileMode.UserExecute;
    private const UnixFileMode Open755 = Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Open644 = Rw | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly byte[] Token = Encoding.UTF8.GetBytes("{\"token\":\"header.payload.signature\"}");

    private readonly ThrowawayAccounts _accounts;

    public InstallationTrustTests(ThrowawayAccounts accounts) => _accounts = accounts;

    private static SecureFileStore Store(TempDir dir) => new(new FakeEnvironment { HomeDirectory = dir.Combine("home"), IsWindows = false });

    /// <summary>A folder of root's, 0700, holding one file: what the account must never reach.</summary>
    private static string RootOnlyFolder(TempDir dir)
    {
        var vault = dir.Combine("vault");
        Directory.CreateDirectory(vault);
        File.SetUnixFileMode(vault, Rwx);
        File.WriteAllText(Path.Combine(vault, "keep.txt"), "root's");
        return vault;
    }

    private static void AssertUntouched(string vault)
    {
        Assert.Equal(new[] { Path.Combine(vault, "keep.txt") }, Directory.GetFileSystemEntries(vault));
        Assert.Equal(Rwx, Mode(vault));
        Assert.Equal(0u, UnixFileApi.LinkStatus(vault)!.Value.Owner);
        Assert.Equal("root's", File.ReadAllText(Path.Combine(vault, "keep.txt")));
    }

    private string Installation(TempDir dir, bool ownedByAccount)
    {
        File.SetUnixFileMode(dir.Path, Open755);
        var install = dir.Combine("install");
        Directory.CreateDirectory(install);
        File.SetUnixFileMode(install, Open755);
        if (ownedByAccount) ChownNoFollow(install, (int)_accounts.Runtime.Uid);
        return install;
    }

    private void WriteConfig(string install, string json, bool byAccount)
    {
        var config = Path.Combine(install, "config.json");
        File.WriteAllText(config, json);
        File.SetUnixFileMode(config, Open644);
        if (byAccount) ChownNoFollow(config, (int)_accounts.Runtime.Uid);
    }

    private static FakeEnvironment Environment(TempDir dir) => new(dir.Combine("home")) { IsWindows = false };

    [Theory]
    [InlineData(false)] // the documented layout: root's folder, config.json written by the runtime
    [InlineData(true)]  // the runtime account owns the whole installation folder
    public void A_config_json_the_runtime_account_could_write_steers_nothing_and_names_its_owner(bool accountOwnsFolder)
    {
        RequireRoot();
        using var dir = new TempDir();
        var vault = RootOnlyFolder(dir);
        var install = Installation(dir, accountOwnsFolder);
        WriteConfig(install, $"{{\"authTokenPath\": \"{Path.Combine(vault, "auth-token.json")}\", \"platformUrl\": \"http://127.0.0.1:9\"}}", byAccount: !accountOwnsFolder);

        var error = Assert.Throws<NaraAuthException>(() => TokenLocation.Resolve(Environment(dir), null, install, dir.Path));

        Assert.Equal(InstallationConfig.UntrustedErrorId, error.ErrorId);
        Assert.Equal(NaraErrorCategory.SecurityError, error.Category);
        Assert.Contains(accountOwnsFolder ? $"uid {_accounts.Runtime.Uid}" : _accounts.Runtime.Name, error.Message);
        Assert.Contains("chown", error.RecommendedAction);
        Assert.Contains("-BaseUrl", error.RecommendedAction);
        AssertUntouched(vault);
    }

    [Fact]
    public void A_config_json_root_owns_but_others_may_change_is_untrusted()
    {
        RequireRoot();
        using var dir = new TempDir();
        var install = Installation(dir, ownedByAccount: false);
        WriteConfig(install, "{\"platformUrl\": \"http://127.0.0.1:9\"}", byAccount: false);
        File.SetUnixFileMode(Path.Combine(install, "config.json"), Open644 | UnixFileMode.GroupWrite);

        var location = TokenLocation.Resolve(Environment(dir).Set("AUTH_TOKEN_PATH", dir.Combine("t.json")), null, install, dir.Path);
        // -Path / AUTH_TOKEN_PATH make config.json unneeded for the path; the platform still asks it.
        Assert.Equal(TokenPathSource.EnvironmentVariable, location.Source);
        var error = Assert.Throws<NaraAuthException>(() => PlatformUrl.Choose(null, Environment(dir), () => location.Config));
        Assert.Equal(InstallationConfig.UntrustedErrorId, error.ErrorId);
        Assert.Contains("mode 664", error.Message);
        // An explicit base URL never reads it.
        Assert.Equal(PlatformUrlSource.Parameter, PlatformUrl.Choose("http://127.0.0.1:1", Environment(dir), () => location.Config).Source);
    }

    [Fact]
    public void A_fifo_as_config_json_fails_at_once_instead_of_blocking()
    {
        RequireUnix();
        using var dir = new TempDir();
        MakeFifo(dir.Combine("config.json"));
        var error = Within(TimeSpan.FromSeconds(20), () => Assert.Throws<NaraAuthException>(() => TokenLocation.Resolve(Environment(dir), null, dir.Path, dir.Path)));
        Assert.Equal("ConfigFileNotAFile", error.ErrorId);
    }

    [Fact]
    public void A_fifo_at_the_token_path_fails_at_once_when_root_writes_for_the_account()
    {
        RequireRoot();
        using var dir = new TempDir();
        var install = Installation(dir, ownedByAccount: true);
        var target = Path.Combine(install, "auth-token.json");
        MakeFifo(target);
        ChownNoFollow(target, (int)_accounts.Runtime.Uid);

        var error = Within(TimeSpan.FromSeconds(20), () => Assert.Throws<NaraAuthException>(() =>
            Store(dir).WriteAllBytes(target, Token, SecretFileKind.TokenFile, TokenFile.Recognizes, force: false, _accounts.RuntimeAccount)));
        Assert.Equal("SecureStoreTargetNotAFile", error.ErrorId);
    }

    [Fact]
    public void A_link_the_account_planted_at_the_token_path_is_replaced_not_followed()
    {
        RequireRoot();
        using var dir = new TempDir();
        var vault = RootOnlyFolder(dir);
        var install = Installation(dir, ownedByAccount: true);
        var target = Path.Combine(install, "auth-token.json");
        File.CreateSymbolicLink(target, Path.Combine(vault, "keep.txt"));
        ChownNoFollow(target, (int)_accounts.Runtime.Uid);

        Store(dir).WriteAllBytes(target, Token, SecretFileKind.TokenFile, TokenFile.Recognizes, force: false, _accounts.RuntimeAccount);

        var written = UnixFileApi.LinkStatus(target)!.Value;
        Assert.True(written.IsRegularFile);
        Assert.Equal(_accounts.Runtime.Uid, written.Owner);
        AssertUntouched(vault);
    }

    [Fact]
    public void A_folder_swapped_for_a_link_to_a_root_only_folder_during_the_write_receives_nothing() =>
        SwapDuringWrite(iterations: 1);

    [Fact]
    [Trait("Category", "Stress")]
    public void Stress_folder_swapped_for_a_link_while_root_writes_never_reaches_roots_folder() =>
        SwapWhileWriting(StressIterations());

    [Fact]
    [Trait("Category", "Stress")]
    public void Stress_config_json_swapped_for_a_fifo_never_blocks_a_read() =>
        FifoWhileReading(StressIterations());

    [Fact]
    public void A_config_json_swapped_for_a_fifo_never_blocks_a_read() => FifoWhileReading(1);

    [Fact]
    public void A_folder_swapped_for_a_link_while_root_writes_never_reaches_roots_folder() => SwapWhileWriting(1);

    /// <summary>NARAAUTH_STRESS_ITERATIONS for a stress run (docs/testing.md); one in the normal suite.</summary>
    private static int StressIterations() =>
        int.TryParse(System.Environment.GetEnvironmentVariable("NARAAUTH_STRESS_ITERATIONS"), out var n) && n > 0 ? n : 1;

    /// <summary>The swap made exactly between the checks and the first secret byte.</summary>
    private void SwapDuringWrite(int iterations)
    {
        RequireRoot();
        for (var i = 0; i < iterations; i++)
        {
            using var dir = new TempDir();
            var vault = RootOnlyFolder(dir);
            var install = Installation(dir, ownedByAccount: true);
            var moved = install + ".moved";
            var store = Store(dir);
            store.BeforeContentWritten = _ =>
            {
                Directory.Move(install, moved);
                File.CreateSymbolicLink(install, vault);
                ChownNoFollow(install, (int)_accounts.Runtime.Uid);
            };

            store.WriteAllBytes(Path.Combine(install, "auth-token.json"), Token, SecretFileKind.TokenFile, TokenFile.Recognizes, force: false, _accounts.RuntimeAccount);

            // The write went on in the folder it had opened, which the account had moved away.
            AssertUntouched(vault);
            Assert.Equal(_accounts.Runtime.Uid, UnixFileApi.LinkStatus(Path.Combine(moved, "auth-token.json"))!.Value.Owner);
            Assert.Equal(new[] { Path.Combine(moved, "auth-token.json") }, Directory.GetFileSystemEntries(moved));
        }
    }

    /// <summary>
    /// The account flips its folder between a real folder and a link to root's folder as fast as it
    /// can while root writes into it (with a sub-folder the store creates and narrows): every write
    /// ends in the account's own folder or fails, root's folder never changes.
    /// </summary>
    private void SwapWhileWriting(int iterations)
    {
        RequireRoot();
        using var dir = new TempDir();
        var vault = RootOnlyFolder(dir);
        var install = Installation(dir, ownedByAccount: true);
        var real = install + ".real";
        Directory.Move(install, real);
        var link = install + ".link";
        File.CreateSymbolicLink(link, vault);
        ChownNoFollow(link, (int)_accounts.Runtime.Uid);
        Directory.Move(real, install);

        using var stop = new CancellationTokenSource();
        var flipper = Task.Run(() =>
        {
            // rename(2) swaps the name atomically, as the account would.
            var flips = 0;
            while (!stop.IsCancellationRequested)
            {
                Rename(install, real);
                Rename(link, install);
                Hold();
                Rename(install, link);
                Rename(real, install);
                Hold();
                flips++;
            }
            return flips;
        });
        var written = 0;
        var refused = 0;
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                try
                {
                    Store(dir).WriteAllBytes(Path.Combine(install, "edge", "auth-token.json"), Token, SecretFileKind.TokenFile, TokenFile.Recognizes, force: true, _accounts.RuntimeAccount);
                    written++;
                }
                catch (NaraAuthException e)
                {
                    Assert.Contains(e.ErrorId, new[] { "SecureStoreFolderUnsafe", "SecureStoreDirectoryFailed", "SecureStoreWriteFailed" });
                    if (refused++ == 0) StressReport.Record("first refusal: " + e.ErrorId + ": " + e.Message);
                }
                AssertUntouched(vault);
            }
        }
        finally
        {
            stop.Cancel();
            flipper.Wait(TimeSpan.FromSeconds(30));
        }
        AssertUntouched(vault);
        Assert.Equal(iterations, written + refused);
        StressReport.Record($"folder swap: {iterations} writes, {written} written into the account's folder, {refused} refused, root's folder unchanged");
    }

    /// <summary>The account flips config.json between a file and a named pipe while root reads it: every read returns or fails at once.</summary>
    private static void FifoWhileReading(int iterations)
    {
        RequireUnix();
        using var dir = new TempDir();
        var config = dir.Combine("config.json");
        var file = dir.Combine("config.file");
        var fifo = dir.Combine("config.fifo");
        File.WriteAllText(config, "{\"authTokenPath\": \"auth-token.json\"}");
        MakeFifo(fifo);
        using var stop = new CancellationTokenSource();
        var flipper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Rename(config, file);
                Rename(fifo, config);
                Hold();
                Rename(config, fifo);
                Rename(file, config);
                Hold();
            }
        });
        var read = 0;
        var refused = 0;
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                var outcome = Within(TimeSpan.FromSeconds(20), () =>
                {
                    try
                    {
                        InstallationConfig.Load(dir.Path, new SecureFileStore(new FakeEnvironment { IsWindows = false }));
                        return true;
                    }
                    catch (NaraAuthException e)
                    {
                        Assert.StartsWith("ConfigFile", e.ErrorId);
                        if (refused == 0) StressReport.Record("first refusal: " + e.ErrorId + ": " + e.Message);
                        return false;
                    }
                });
                if (outcome) read++; else refused++;
            }
        }
        finally
        {
            stop.Cancel();
            flipper.Wait(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(iterations, read + refused);
        StressReport.Record($"fifo swap: {iterations} reads, {read} read the file, {refused} refused, none blocked");
    }

    /// <summary>Keeps a state for a random moment (none, or up to a millisecond or two), so the other side meets each state and every switch between them.</summary>
    private static void Hold()
    {
        var pause = Random.Shared.Next(4);
        if (pause == 0) Thread.Yield();
        else Thread.Sleep(pause - 1);
    }

    /// <summary>rename(2) of a folder, a link or a pipe alike; a name the other side has just moved is skipped.</summary>
    private static void Rename(string from, string to) => RenameNative(from, to);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameNative(string from, string to);
}

/// <summary>Stress outcomes in the test's output, and appended to NARAAUTH_STRESS_REPORT when set (docs/testing.md).</summary>
internal static class StressReport
{
    public static void Record(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine("[stress] " + line);
        if (System.Environment.GetEnvironmentVariable("NARAAUTH_STRESS_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, line + System.Environment.NewLine);
    }
}
