using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>How a secret file on disk is judged and whose it is: the Windows rule on synthetic ACLs, the Unix rule on real files.</summary>
public class FileProtectionTests
{
    private const string Me = "S-1-5-21-1004336348-1177238915-682003330-1001";
    private const string Other = "S-1-5-21-1004336348-1177238915-682003330-1002";

    [Fact]
    public void Windows_file_written_by_the_store_is_owner_only()
    {
        Assert.Null(WindowsFolderAcl.FileProblem(@"C:\t\auth-token.json", WindowsOwnerOnlyAcl.ForFile(Me), Me));
        Assert.Null(WindowsFolderAcl.FileProblem(@"C:\t\auth-token.json", $"O:{Me}D:PAI(A;;FA;;;{Me})(A;;FA;;;SY)(A;;FA;;;BA)", Me));
        Assert.Equal(Me, WindowsFolderAcl.OwnerSid(WindowsOwnerOnlyAcl.ForFile(Me)));
        Assert.Equal("S-1-5-32-544", WindowsFolderAcl.OwnerSid("O:BAD:P(A;;FA;;;BA)"));
    }

    [Theory]
    [InlineData("O:{other}D:P(A;;FA;;;{me})", "owned by another account")]
    [InlineData("O:{me}D:AI(A;ID;FA;;;{me})", "inherits its access")]
    [InlineData("O:{me}D:P(A;;FA;;;{me})(A;;FR;;;BU)", "S-1-5-32-545")]
    [InlineData("O:{me}D:P(A;;0x1;;;{other})", "lets another account")]
    [InlineData("O:{me}D:NO_ACCESS_CONTROL", "no access control list")]
    public void Windows_file_another_account_could_open_is_named(string template, string problem)
    {
        var sddl = template.Replace("{me}", Me).Replace("{other}", Other);
        Assert.Contains(problem, WindowsFolderAcl.FileProblem(@"C:\t\auth-token.json", sddl, Me));
    }

    [Fact]
    public void Unix_file_written_by_the_store_is_protected_and_owned_by_this_account()
    {
        UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var store = new SecureFileStore(new FakeEnvironment(dir.Path));
        var path = dir.Combine("secure", "auth-token.json");
        store.WriteAllBytes(path, new byte[] { 1, 2, 3 });

        var protection = FileProtection.Inspect(store, path);

        Assert.True(protection.IsProtected, protection.Problem);
        Assert.Equal(Environment.UserName, protection.Owner);
    }

    [Fact]
    public void Unix_file_others_can_read_or_in_a_folder_others_can_write_is_not_protected()
    {
        UnixTestTools.RequireUnix();
        using var dir = new TempDir();
        var store = new SecureFileStore(new FakeEnvironment(dir.Path));
        var path = dir.Combine("auth-token.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Contains("chmod 600", FileProtection.Inspect(store, path).Problem);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(dir.Path, File.GetUnixFileMode(dir.Path) | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var loose = FileProtection.Inspect(store, path);
        Assert.False(loose.IsProtected);
        Assert.Contains("written by other users", loose.Problem);
    }

    [Fact]
    public void Unix_file_of_another_user_names_that_account()
    {
        UnixTestTools.RequireRoot();
        using var dir = new TempDir();
        var store = new SecureFileStore(new FakeEnvironment(dir.Path));
        var path = dir.Combine("auth-token.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        UnixTestTools.ChownNoFollow(path, UnixTestTools.OtherUser);

        var protection = FileProtection.Inspect(store, path);

        Assert.Equal(FileOwner.OfUid(UnixTestTools.OtherUser).Name, protection.Owner);
        Assert.Equal("nobody", protection.Owner); // nobody is in every user database
        Assert.Contains("belongs to another user", protection.Problem);
    }
}
