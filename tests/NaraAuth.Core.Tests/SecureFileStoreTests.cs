using System.Diagnostics;
using System.Text;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.Tests;

public class SecureFileStoreTests
{
    private static readonly UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UnixFileMode PrivateDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static SecureFileStore Store(TempDir dir) => new(new FakeEnvironment { HomeDirectory = dir.Combine("home"), IsWindows = false });

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "Unix file modes")]
    public void New_file_is_0600_in_a_new_0700_folder()
    {
        Storage.UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var path = dir.Combine("nested", "deeper", "auth-token.json");
        Store(dir).WriteAllBytes(path, Encoding.UTF8.GetBytes("{\"token\":\"x\"}"));
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal(PrivateDir, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal("{\"token\":\"x\"}", File.ReadAllText(path));
    }

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "Unix file modes")]
    public void Replacing_a_file_readable_by_others_yields_a_0600_file()
    {
        Storage.UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Store(dir).WriteAllBytes(path, Encoding.UTF8.GetBytes("new"));
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "Unix file modes")]
    public void Existing_loose_folder_is_tightened_to_0700()
    {
        Storage.UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var folder = dir.Combine("install");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, PrivateDir | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Store(dir).WriteAllBytes(Path.Combine(folder, "t.json"), new byte[] { 1 });
        Assert.Equal(PrivateDir, File.GetUnixFileMode(folder));
    }

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "Unix file modes")]
    public void The_home_folder_itself_is_never_narrowed()
    {
        Storage.UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var home = dir.Combine("home");
        Directory.CreateDirectory(home);
        var loose = PrivateDir | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(home, loose);
        Store(dir).WriteAllBytes(Path.Combine(home, "t.json"), new byte[] { 1 });
        Assert.Equal(loose, File.GetUnixFileMode(home));
    }

    [Fact]
    public void No_temporary_file_is_left_behind()
    {
        Storage.UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        var store = Store(dir);
        store.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        store.WriteAllBytes(path, new byte[] { 4, 5, 6 });
        Assert.Equal(new[] { "auth-token.json" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_untouched_and_no_temp_file()
    {
        Storage.UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var folder = dir.Combine("install");
        var path = Path.Combine(folder, "auth-token.json");
        var store = Store(dir);
        store.WriteAllBytes(path, Encoding.UTF8.GetBytes("valid-old"));
        // The target is a directory now: the rename over it must fail.
        var blocked = Path.Combine(folder, "blocked.json");
        Directory.CreateDirectory(blocked);
        File.WriteAllText(Path.Combine(blocked, "keep"), "x");
        var error = Assert.Throws<NaraAuthException>(() => store.WriteAllBytes(blocked, Encoding.UTF8.GetBytes("new")));
        Assert.Equal("SecureStoreWriteFailed", error.ErrorId);
        Assert.Equal(NaraErrorCategory.WriteError, error.Category);
        Assert.Equal("valid-old", File.ReadAllText(path));
        Assert.DoesNotContain(Directory.GetFiles(folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "Unix file modes")]
    public void Permission_warning_names_the_path_and_the_fix()
    {
        Storage.UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, Private | UnixFileMode.OtherRead);
        var warning = Store(dir).CheckPermissions(path);
        Assert.NotNull(warning);
        Assert.Contains(path, warning);
        Assert.Contains("chmod 600", warning);
        File.SetUnixFileMode(path, Private);
        Assert.Null(Store(dir).CheckPermissions(path));
    }

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "Unix file modes")]
    public void Twenty_writer_processes_at_once_leave_one_complete_valid_file()
    {
        Storage.UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var path = dir.Combine("shared-home", "auth-token.json");
        var writer = Storage.StoreWriter.Path;
        var processes = Enumerable.Range(0, 20).Select(i =>
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(writer);
            start.ArgumentList.Add(path);
            start.ArgumentList.Add($"header.payload{i:00}-{new string('x', 2000)}.signature");
            start.ArgumentList.Add("5");
            return Process.Start(start)!;
        }).ToList();
        foreach (var p in processes)
        {
            Assert.True(p.WaitForExit(60_000), "a writer hung");
            Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        }
        var file = TokenFile.Read(new SecureFileStore(new FakeEnvironment()), path);
        Assert.Matches(@"^header\.payload\d\d-x{2000}\.signature$", file.Token);
        Assert.NotNull(file.SavedAt);
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal(new[] { "auth-token.json" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }
}

public class WindowsOwnerOnlyAclTests
{
    private const string Sid = "S-1-5-21-1004336348-1177238915-682003330-512";

    [Fact]
    public void File_descriptor_is_owner_only_and_blocks_inheritance()
    {
        // D:P = protected DACL (no inherited entries); one allow entry, full access, the owner only.
        Assert.Equal($"O:{Sid}D:P(A;;FA;;;{Sid})", WindowsOwnerOnlyAcl.ForFile(Sid));
    }

    [Fact]
    public void Folder_descriptor_passes_the_single_entry_to_new_children()
    {
        Assert.Equal($"O:{Sid}D:P(A;OICI;FA;;;{Sid})", WindowsOwnerOnlyAcl.ForDirectory(Sid));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Everyone")]
    [InlineData("S-1-5-21-1)(A;;FA;;;WD")]
    public void Anything_but_a_SID_is_refused(string notSid)
    {
        Assert.Throws<ArgumentException>(() => WindowsOwnerOnlyAcl.ForFile(notSid));
    }
}
