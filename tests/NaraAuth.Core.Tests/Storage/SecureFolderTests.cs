using System.Diagnostics;
using System.Text;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using static NaraAuth.Core.Tests.Storage.UnixTestTools;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>
/// The folder rule of the secret store on real Unix folders: never weaken a folder NaraAuth did
/// not create, create its own owner-only at every level, and refuse (writing nothing) where
/// another user could replace the secret.
/// </summary>
public class SecureFolderTests
{
    private const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupRx = UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
    private const UnixFileMode OtherRx = UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Shared775 = Rwx | GroupRx | UnixFileMode.GroupWrite | OtherRx;
    private const UnixFileMode WorldWritable = Rwx | GroupRx | UnixFileMode.GroupWrite | OtherRx | UnixFileMode.OtherWrite;
    private const UnixFileMode StickyTmp = WorldWritable | UnixFileMode.StickyBit;

    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("{\"token\":\"secret-value\"}");

    private static SecureFileStore Store(TempDir dir) => new(new FakeEnvironment { HomeDirectory = dir.Combine("home"), IsWindows = false });

    private static string Folder(TempDir dir, string name, UnixFileMode mode)
    {
        var path = dir.Combine(name);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private static NaraAuthException Refused(Action write)
    {
        var error = Assert.Throws<NaraAuthException>(write);
        Assert.Equal("SecureStoreFolderUnsafe", error.ErrorId);
        Assert.Equal(NaraErrorCategory.SecurityError, error.Category);
        return error;
    }

    [Fact]
    public void A_sticky_world_writable_folder_like_tmp_is_used_and_keeps_its_mode_and_sticky_bit()
    {
        RequireUnix();
        using var dir = new TempDir();
        var tmp = Folder(dir, "tmp", StickyTmp);
        File.WriteAllText(Path.Combine(tmp, "someone-elses.log"), "x");
        var path = Path.Combine(tmp, "auth-token.json");
        Store(dir).WriteAllBytes(path, Secret);
        Assert.Equal(StickyTmp, Mode(tmp));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(path));

        // Even empty, a sticky folder is shared by intent: never narrowed.
        var empty = Folder(dir, "empty-tmp", StickyTmp);
        Store(dir).WriteAllBytes(Path.Combine(empty, "auth-token.json"), Secret);
        Assert.Equal(StickyTmp, Mode(empty));
    }

    [Fact]
    public void A_shared_0775_project_folder_is_refused_left_as_it_was_and_nothing_is_written()
    {
        RequireUnix();
        using var dir = new TempDir();
        var project = Folder(dir, "project", Shared775);
        File.WriteAllText(Path.Combine(project, "README.md"), "team notes");
        var error = Refused(() => Store(dir).WriteAllBytes(Path.Combine(project, "auth-token.json"), Secret));
        Assert.Contains(project, error.Message);
        Assert.Contains("775", error.Message);
        Assert.Equal(Shared775, Mode(project));
        Assert.Equal(new[] { "README.md" }, Directory.GetFiles(project).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_on_the_way_that_others_can_write_is_refused_before_any_folder_is_created()
    {
        RequireUnix();
        using var dir = new TempDir();
        var open = Folder(dir, "open", WorldWritable);
        var target = Path.Combine(open, "ec", "secure", "auth-token.json");
        Refused(() => Store(dir).WriteAllBytes(target, Secret));
        Assert.Empty(Directory.GetFileSystemEntries(open));
        Assert.Equal(WorldWritable, Mode(open));
    }

    [Fact]
    public void A_loose_folder_of_the_users_own_with_other_files_is_used_but_not_narrowed()
    {
        RequireUnix();
        using var dir = new TempDir();
        var install = Folder(dir, "install", Rwx | GroupRx | OtherRx);
        File.WriteAllText(Path.Combine(install, "connector.bin"), "x");
        Store(dir).WriteAllBytes(Path.Combine(install, "auth-token.json"), Secret);
        Assert.Equal(Rwx | GroupRx | OtherRx, Mode(install));
    }

    [Fact]
    public void A_loose_folder_holding_only_NaraAuth_files_is_narrowed_to_0700()
    {
        RequireUnix();
        using var dir = new TempDir();
        var install = Folder(dir, "install", Shared775);
        File.WriteAllText(Path.Combine(install, "default-bundle.json"), "{}");
        Store(dir).WriteAllBytes(Path.Combine(install, "auth-token.json"), Secret);
        Assert.Equal(Rwx, Mode(install));
    }

    [Fact]
    public void A_folder_owned_by_another_user_is_refused_even_for_root()
    {
        RequireRoot();
        using var dir = new TempDir();
        var theirs = Folder(dir, "theirs", Rwx);
        ChownNoFollow(theirs, OtherUser);
        var error = Refused(() => Store(dir).WriteAllBytes(Path.Combine(theirs, "auth-token.json"), Secret));
        Assert.Contains("uid " + OtherUser, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(theirs));
        Assert.Equal(Rwx, Mode(theirs));
    }

    [Fact]
    public void A_symbolic_link_owned_by_another_user_is_refused_and_its_target_is_not_touched()
    {
        RequireRoot();
        using var dir = new TempDir();
        var real = Folder(dir, "real", Rwx | GroupRx | OtherRx);
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, real);
        ChownNoFollow(link, OtherUser);
        var error = Refused(() => Store(dir).WriteAllBytes(Path.Combine(link, "auth-token.json"), Secret));
        Assert.Contains("symbolic link", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(real));
        Assert.Equal(Rwx | GroupRx | OtherRx, Mode(real));
    }

    [Fact]
    public void A_symbolic_link_of_the_users_own_into_another_users_folder_is_refused()
    {
        RequireRoot();
        using var dir = new TempDir();
        var theirs = Folder(dir, "theirs", Rwx);
        ChownNoFollow(theirs, OtherUser);
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, theirs);
        Refused(() => Store(dir).WriteAllBytes(Path.Combine(link, "auth-token.json"), Secret));
        Assert.Empty(Directory.GetFileSystemEntries(theirs));
    }

    [Fact]
    public void A_symbolic_link_of_the_users_own_to_a_private_folder_is_followed_and_neither_is_changed()
    {
        RequireUnix();
        using var dir = new TempDir();
        var real = Folder(dir, "real", Rwx);
        File.WriteAllText(Path.Combine(real, "other.txt"), "x");
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, real);
        Store(dir).WriteAllBytes(Path.Combine(link, "auth-token.json"), Secret);
        Assert.Equal(Secret, File.ReadAllBytes(Path.Combine(real, "auth-token.json")));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void Every_folder_level_created_is_0700_even_under_umask_000()
    {
        RequireUnix();
        using var dir = new TempDir();
        var path = dir.Combine("a", "b", "c", "auth-token.json");
        // The umask is per process: a child writer with umask 000 proves it without touching the test host.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("umask 000 && exec dotnet \"$0\" \"$1\" header.payload.signature 1");
        start.ArgumentList.Add(StoreWriter.Path);
        start.ArgumentList.Add(path);
        using (var p = Process.Start(start)!)
        {
            Assert.True(p.WaitForExit(60_000), "the writer hung");
            Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        }
        Assert.Equal(Rwx, Mode(dir.Combine("a")));
        Assert.Equal(Rwx, Mode(dir.Combine("a", "b")));
        Assert.Equal(Rwx, Mode(dir.Combine("a", "b", "c")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(path));
    }

    [Fact]
    public void Dev_null_as_the_target_is_refused_and_dev_keeps_its_mode()
    {
        RequireUnix();
        using var dir = new TempDir();
        var before = Mode("/dev");
        var error = Assert.Throws<NaraAuthException>(() => Store(dir).WriteAllBytes("/dev/null", Secret, SecretFileKind.TokenFile, TokenFile.Recognizes, force: true));
        Assert.Equal("SecureStoreTargetNotAFile", error.ErrorId);
        Assert.Contains("character device", error.Message);
        Assert.Equal(before, Mode("/dev"));
    }

    [Fact]
    public void A_fifo_as_the_target_is_refused_at_once()
    {
        RequireUnix();
        using var dir = new TempDir();
        var fifo = dir.Combine("auth-token.json");
        MakeFifo(fifo);
        var error = Within(TimeSpan.FromSeconds(5), () => Assert.Throws<NaraAuthException>(() => Store(dir).WriteAllBytes(fifo, Secret)));
        Assert.Equal("SecureStoreTargetNotAFile", error.ErrorId);
        Assert.Contains("FIFO", error.Message);
    }

    [Fact]
    public void The_root_folder_and_tmp_are_never_narrowed_when_root_writes_there()
    {
        RequireRoot();
        // A secret written straight into them: the folders are judged, never made: the rule must
        // accept them as they are and never chmod them.
        var store = new SecureFileStore(new FakeEnvironment { IsWindows = false });
        var rootMode = Mode("/");
        var tmpMode = Mode("/tmp");
        var name = "naraauth-folder-rule-" + Guid.NewGuid().ToString("N") + ".json";
        try
        {
            store.WriteAllBytes("/" + name, Secret);
            store.WriteAllBytes("/tmp/" + name, Secret);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode("/tmp/" + name));
        }
        finally
        {
            File.Delete("/" + name);
            File.Delete("/tmp/" + name);
        }
        Assert.Equal(rootMode, Mode("/"));
        Assert.Equal(tmpMode, Mode("/tmp"));
        Assert.True(tmpMode.HasFlag(UnixFileMode.StickyBit));
    }
}

/// <summary>Where the test writer process is built.</summary>
internal static class StoreWriter
{
    public static string Path
    {
        get
        {
            // tests/NaraAuth.Core.Tests/bin/<Configuration>/net10.0/ -> tests/NaraAuth.StoreWriter/bin/<Configuration>/net10.0/
            var own = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = own.Parent!.Name;
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(own.FullName, "..", "..", "..", "..", "NaraAuth.StoreWriter", "bin", configuration, "net10.0", "NaraAuth.StoreWriter.dll"));
            Assert.True(File.Exists(path), "StoreWriter not built at " + path);
            return path;
        }
    }

    /// <summary>
    /// The writer copied to a folder every account can enter and read (under the system's temp
    /// folder, removed on dispose): run as another account, the build output itself may be out of
    /// its reach, as in a checkout under root's home or any 0700 folder.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static ReachableCopy CopyForAnotherAccount() => new(System.IO.Path.GetDirectoryName(Path)!);

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class ReachableCopy : IDisposable
    {
        private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        private const UnixFileMode Enterable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

        private readonly string _folder;

        public ReachableCopy(string buildOutput)
        {
            // /tmp itself is reachable by everyone; the folder made here is opened up to 0755.
            _folder = Directory.CreateTempSubdirectory("naraauth-storewriter-").FullName;
            File.SetUnixFileMode(_folder, Enterable);
            foreach (var folder in Directory.GetDirectories(buildOutput, "*", SearchOption.AllDirectories))
            {
                var copy = System.IO.Path.Combine(_folder, System.IO.Path.GetRelativePath(buildOutput, folder));
                Directory.CreateDirectory(copy);
                File.SetUnixFileMode(copy, Enterable);
            }
            foreach (var file in Directory.GetFiles(buildOutput, "*", SearchOption.AllDirectories))
            {
                var copy = System.IO.Path.Combine(_folder, System.IO.Path.GetRelativePath(buildOutput, file));
                File.Copy(file, copy);
                File.SetUnixFileMode(copy, Readable);
            }
            DllPath = System.IO.Path.Combine(_folder, "NaraAuth.StoreWriter.dll");
        }

        public string DllPath { get; }

        public void Dispose()
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }
}
