using System.Diagnostics;
using System.Text;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using static NaraAuth.Core.Tests.Storage.UnixTestTools;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>
/// Secret files written by root for the account the Edge Connector runs as (nobody here): the
/// file and the folders created for it belong to that account, 0600 / 0700, from before the
/// first byte; folders it owns are trusted, a third user's are not; only root (or the account
/// itself) may hand files over, and an unknown account is refused before anything is written.
/// </summary>
// Unix calls only after RequireRoot/RequireUnix, which skip on Windows.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class RuntimeOwnerTests
{
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Rwx = Rw | UnixFileMode.UserExecute;
    private const UnixFileMode Open755 = Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("{\"token\":\"secret-value\"}");

    private static SecureFileStore Store(TempDir dir) => new(new FakeEnvironment { HomeDirectory = dir.Combine("home"), IsWindows = false });

    private static RuntimeAccount Nobody() => RuntimeAccount.ForWriting("nobody", new FakeEnvironment { IsWindows = false });

    private static uint Owner(string path) => UnixFileApi.LinkStatus(path)!.Value.Owner;

    private static void Write(SecureFileStore store, string path, RuntimeAccount? owner) =>
        store.WriteAllBytes(path, Secret, kind: null, isExpectedKind: null, force: false, owner);

    [Fact]
    public void Root_writing_for_nobody_gives_the_file_and_every_created_folder_to_nobody_0600_in_0700()
    {
        RequireRoot();
        using var dir = new TempDir();
        var path = dir.Combine("edge", "secure", "auth-token.json");
        Write(Store(dir), path, Nobody());

        Assert.Equal((uint)OtherUser, Owner(path));
        Assert.Equal(Rw, Mode(path));
        foreach (var level in new[] { dir.Combine("edge"), dir.Combine("edge", "secure") })
        {
            Assert.Equal((uint)OtherUser, Owner(level));
            Assert.Equal(Rwx, Mode(level));
        }
        // The folder that was there already is root's and keeps its rights.
        Assert.Equal(0u, Owner(dir.Path));
        Assert.Equal(Secret, File.ReadAllBytes(path));
        Assert.Equal(new[] { "auth-token.json" }, Directory.GetFileSystemEntries(dir.Combine("edge", "secure")).Select(Path.GetFileName));
    }

    [Fact]
    public void The_temporary_file_already_belongs_to_nobody_0600_and_is_empty_when_the_secret_is_written()
    {
        RequireRoot();
        using var dir = new TempDir();
        var store = Store(dir);
        UnixFileStatus? seen = null;
        store.BeforeContentWritten = temp => seen = UnixFileApi.LinkStatus(temp);
        Write(store, dir.Combine("auth-token.json"), Nobody());

        var temp = Assert.NotNull(seen);
        Assert.Equal((uint)OtherUser, temp.Owner);
        Assert.Equal(0x180, temp.Permissions);
        Assert.Equal(0, temp.Size);
    }

    [Fact]
    public void A_second_write_for_nobody_trusts_the_folder_made_for_nobody_and_replaces_the_file()
    {
        RequireRoot();
        using var dir = new TempDir();
        var path = dir.Combine("edge", "auth-token.json");
        Write(Store(dir), path, Nobody());
        var renewed = Encoding.UTF8.GetBytes("{\"token\":\"renewed-value\"}");
        Store(dir).WriteAllBytes(path, renewed, kind: null, isExpectedKind: null, force: false, Nobody());
        Assert.Equal(renewed, File.ReadAllBytes(path));
        Assert.Equal((uint)OtherUser, Owner(path));
    }

    [Fact]
    public void A_file_root_wrote_earlier_is_replaced_by_one_that_belongs_to_nobody()
    {
        RequireRoot();
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        Write(Store(dir), path, owner: null);
        Assert.Equal(0u, Owner(path));
        Write(Store(dir), path, Nobody());
        Assert.Equal((uint)OtherUser, Owner(path));
        Assert.Equal(Rw, Mode(path));
    }

    [Fact]
    public void A_folder_of_a_third_user_is_refused_for_the_runtime_account_and_nothing_is_written()
    {
        RequireRoot();
        using var dir = new TempDir();
        var daemons = dir.Combine("daemons");
        Directory.CreateDirectory(daemons);
        File.SetUnixFileMode(daemons, Rwx);
        ChownNoFollow(daemons, 1); // daemon: neither root nor the runtime account
        var error = Assert.Throws<NaraAuthException>(() => Write(Store(dir), Path.Combine(daemons, "auth-token.json"), Nobody()));
        Assert.Equal("SecureStoreFolderUnsafe", error.ErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(daemons));
    }

    [Fact]
    public void A_symbolic_link_of_the_runtime_account_is_refused_so_it_cannot_steer_roots_write()
    {
        RequireRoot();
        using var dir = new TempDir();
        var elsewhere = dir.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var link = dir.Combine("edge");
        File.CreateSymbolicLink(link, elsewhere);
        ChownNoFollow(link, OtherUser);
        var error = Assert.Throws<NaraAuthException>(() => Write(Store(dir), Path.Combine(link, "auth-token.json"), Nobody()));
        Assert.Equal("SecureStoreFolderUnsafe", error.ErrorId);
        Assert.Contains("symbolic link", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
    }

    [Fact]
    public void A_folder_of_roots_holding_only_NaraAuth_files_is_not_narrowed_when_writing_for_nobody()
    {
        RequireRoot();
        using var dir = new TempDir();
        var install = dir.Combine("install");
        Directory.CreateDirectory(install);
        File.SetUnixFileMode(install, Open755);
        File.WriteAllText(Path.Combine(install, "default-bundle.json"), "{}");
        Write(Store(dir), Path.Combine(install, "auth-token.json"), Nobody());
        // Narrowing it to 0700 would lock the runtime account out of its own token.
        Assert.Equal(Open755, Mode(install));
        Assert.Equal((uint)OtherUser, Owner(Path.Combine(install, "auth-token.json")));
    }

    [Fact]
    public void A_loose_folder_of_the_runtime_account_is_refused_and_left_as_it_was()
    {
        // Root changes the rights only of folders it made for the account, through their handle:
        // a folder the account already had is judged as it is.
        RequireRoot();
        using var dir = new TempDir();
        var install = dir.Combine("install");
        Directory.CreateDirectory(install);
        File.SetUnixFileMode(install, Open755 | UnixFileMode.GroupWrite);
        ChownNoFollow(install, OtherUser);
        var error = Assert.Throws<NaraAuthException>(() => Write(Store(dir), Path.Combine(install, "auth-token.json"), Nobody()));
        Assert.Equal("SecureStoreFolderUnsafe", error.ErrorId);
        Assert.Equal(Open755 | UnixFileMode.GroupWrite, Mode(install));
        Assert.Empty(Directory.GetFileSystemEntries(install));
    }

    [Fact]
    public void An_unknown_account_is_RuntimeAccountUnknown()
    {
        RequireUnix();
        var error = Assert.Throws<NaraAuthException>(() => RuntimeAccount.ForWriting("no-such-user-here", new FakeEnvironment { IsWindows = false }));
        Assert.Equal("RuntimeAccountUnknown", error.ErrorId);
        Assert.Equal(NaraErrorCategory.ObjectNotFound, error.Category);
        Assert.Contains("no-such-user-here", error.Message);
    }

    [Fact]
    public void Accounts_are_found_in_the_user_database_with_their_uid_and_primary_group()
    {
        RequireUnix();
        var nobody = RuntimeAccount.Find("nobody", new FakeEnvironment { IsWindows = false });
        Assert.Equal((uint)OtherUser, nobody.Unix!.Value.Uid);
        Assert.Equal("root", UnixAccountApi.ById(0)!.Value.Name);
        Assert.Null(UnixAccountApi.ById(4_000_000_000));
    }

    [Theory]
    [InlineData(0u, true)]      // root may give files to anyone
    [InlineData(1001u, true)]   // the runtime account writing its own files needs no hand-over
    [InlineData(1000u, false)]  // another user may not
    public void Only_root_or_the_runtime_account_itself_may_write_for_it(uint writer, bool permitted)
    {
        var account = RuntimeAccount.ForUnix("svc-edge", new UnixAccount("svc-edge", 1001, 1001));
        if (permitted)
        {
            account.CheckPrivilege(writer);
            return;
        }
        var error = Assert.Throws<NaraAuthException>(() => account.CheckPrivilege(writer));
        Assert.Equal("RuntimeAccountNotPermitted", error.ErrorId);
        Assert.Equal(NaraErrorCategory.PermissionDenied, error.Category);
        Assert.Contains("svc-edge", error.Message);
        Assert.Contains("root", error.RecommendedAction);
    }

    [Fact]
    public void A_writer_that_is_neither_root_nor_the_runtime_account_is_refused_and_writes_nothing()
    {
        RequireRoot();
        using var dir = new TempDir();
        // The writer runs as nobody, in a folder of its own, and asks for files owned by daemon.
        File.SetUnixFileMode(dir.Path, Open755);
        var own = dir.Combine("nobodys");
        Directory.CreateDirectory(own);
        ChownNoFollow(own, OtherUser);
        var target = Path.Combine(own, "sub", "auth-token.json");

        var refused = RunAsNobody(target, "daemon");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("RuntimeAccountNotPermitted", refused.Error);
        Assert.Empty(Directory.GetFileSystemEntries(own));

        // For its own account the same writer needs no privilege.
        var allowed = RunAsNobody(target, "nobody");
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Equal((uint)OtherUser, Owner(target));
        Assert.Equal(Rw, Mode(target));
    }

    [Fact]
    public void The_owner_of_a_file_is_reported_by_name_and_compared_by_uid()
    {
        RequireRoot();
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        Write(Store(dir), path, Nobody());
        var owner = Assert.IsType<FileOwner>(FileOwner.Of(path));
        Assert.Equal("nobody", owner.Name);
        Assert.True(owner.IsAccount(Nobody()));
        Assert.False(FileOwner.Of(dir.Path)!.IsAccount(Nobody()));
        Assert.Null(FileOwner.Of(dir.Combine("missing.json")));
    }

    [Theory]
    [InlineData(0x1C0, 1001u, 50u, true)]   // 0700, the account's own
    [InlineData(0x1C0, 0u, 0u, false)]      // 0700, root's: no way through
    [InlineData(0x1E8, 0u, 1001u, true)]    // 0750, root's, the account's primary group
    [InlineData(0x1E8, 0u, 0u, false)]      // 0750, root's, another group
    [InlineData(0x1C9, 0u, 0u, true)]       // 0711: others may pass
    [InlineData(0x1, 1001u, 1001u, false)]  // 0001 owned by the account: the owner bits apply, not others'
    public void The_runtime_account_passes_a_folder_by_the_search_bit_that_applies_to_it(int permissions, uint owner, uint group, bool passes)
    {
        var folder = new UnixFileStatus(UnixFileStatus.TypeDirectory | permissions, owner, 0, group);
        Assert.Equal(passes, RuntimeReach.CanPass(folder, new UnixAccount("svc-edge", 1001, 1001)));
    }

    [Fact]
    public void A_folder_on_the_way_the_runtime_account_cannot_pass_is_named_in_a_warning()
    {
        RequireRoot();
        using var dir = new TempDir();
        var path = dir.Combine("edge", "auth-token.json");
        Write(Store(dir), path, Nobody());
        // The test's own folder is root's 0700, as /root is.
        var warning = RuntimeReach.Problem(path, Nobody());
        Assert.Contains($"'{dir.Path}'", warning);
        Assert.Contains("nobody", warning);
        File.SetUnixFileMode(dir.Path, Open755);
        Assert.Null(RuntimeReach.Problem(path, Nobody()));
    }

    private static (int ExitCode, string Error) RunAsNobody(string target, string runtimeAccount)
    {
        // nobody runs a copy it can reach: the build output may sit in a folder it cannot enter.
        using var writer = StoreWriter.CopyForAnotherAccount();
        var start = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", writer.DllPath, target, "header.payload.signature", "1", runtimeAccount })
            start.ArgumentList.Add(a);
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "the writer hung");
        return (p.ExitCode, error.Result);
    }
}
