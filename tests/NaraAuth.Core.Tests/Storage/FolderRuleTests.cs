using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>The folder rule on synthetic data, so every OS proves both the Unix and the Windows form.</summary>
public class FolderRuleTests
{
    private const string Me = "S-1-5-21-1004336348-1177238915-682003330-1001";
    private const string Other = "S-1-5-21-1004336348-1177238915-682003330-1002";

    private static UnixFileStatus Dir(int permissions, uint owner) => new(UnixFileStatus.TypeDirectory | permissions, owner, 0);

    [Theory]
    [InlineData(0x1C0, 1000u, null)]            // 0700, mine
    [InlineData(0x1ED, 0u, null)]               // 0755, root's
    [InlineData(0x3FF, 0u, null)]               // 1777, root's: sticky like /tmp
    [InlineData(0x1FD, 1000u, "775")]           // 0775, mine: the group can swap the file
    [InlineData(0x1FF, 0u, "777")]              // 0777 without sticky
    [InlineData(0x1C0, 1001u, "uid 1001")]      // another user's
    public void Unix_folder_rule(int permissions, uint owner, string? problem)
    {
        var judged = UnixFolderSafety.JudgeFolder("/x", Dir(permissions, owner), me: 1000);
        if (problem == null) Assert.Null(judged);
        else Assert.Contains(problem, judged);
    }

    [Fact]
    public void Unix_link_rule_trusts_only_links_of_this_user_or_root()
    {
        var link = new UnixFileStatus(UnixFileStatus.TypeSymlink | 0x1FF, 1001, 0);
        Assert.Contains("symbolic link", UnixFolderSafety.JudgeLink("/x", link, me: 1000));
        Assert.Null(UnixFolderSafety.JudgeLink("/x", link, me: 1001));
        Assert.Null(UnixFolderSafety.JudgeLink("/x", new UnixFileStatus(UnixFileStatus.TypeSymlink | 0x1FF, 0, 0), me: 1000));
    }

    [Fact]
    public void Windows_profile_folder_of_system_administrators_and_the_user_is_safe()
    {
        var sddl = $"O:{Me}G:{Me}D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;{Me})";
        Assert.Null(WindowsFolderAcl.Problem(@"C:\Users\me\AppData\Roaming\NaraAuth", sddl, Me, isTarget: true));
    }

    [Fact]
    public void Windows_folder_under_the_drive_root_that_inherits_modify_for_authenticated_users_is_unsafe()
    {
        // What C:\ hands to every folder created beneath it: Authenticated Users may modify.
        var sddl = $"O:BAD:AI(A;OICIID;FA;;;BA)(A;OICIID;FA;;;SY)(A;OICIID;0x1301bf;;;AU)(A;OICIID;0x1200a9;;;BU)";
        var problem = WindowsFolderAcl.Problem(@"C:\EdgeConnector", sddl, Me, isTarget: true);
        Assert.Contains("S-1-5-11", problem);
        Assert.Contains("create or delete", problem);
    }

    [Fact]
    public void Windows_drive_root_is_a_safe_folder_on_the_way()
    {
        // C:\ itself: Authenticated Users may add folders there (LC/AppendData) and hold inherit-only modify.
        var sddl = "O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;CIIO;SDGXGWGR;;;AU)(A;;LC;;;AU)";
        Assert.Null(WindowsFolderAcl.Problem(@"C:\", sddl, Me, isTarget: false));
        // As the target itself, LC lets others add entries: not where a secret goes.
        Assert.NotNull(WindowsFolderAcl.Problem(@"C:\", sddl, Me, isTarget: true));
    }

    [Fact]
    public void Windows_folder_owned_by_another_account_is_unsafe_even_with_a_private_ACL()
    {
        var sddl = $"O:{Other}D:P(A;OICI;FA;;;{Me})";
        Assert.Contains("owned by another account", WindowsFolderAcl.Problem(@"D:\shared", sddl, Me, isTarget: true));
    }

    [Theory]
    [InlineData("(A;;0x100116;;;{0})", true)]      // write data, add subfolder, delete
    [InlineData("(A;;DT;;;{0})", true)]            // delete child
    [InlineData("(A;;WD;;;{0})", true)]            // change permissions
    [InlineData("(A;;GA;;;WD)", true)]             // Everyone full
    [InlineData("(A;;0x1200a9;;;{0})", false)]     // read and execute only
    [InlineData("(D;;FA;;;{0})", false)]           // a deny entry grants nothing
    [InlineData("(A;OICIIO;FA;;;{0})", false)]     // inherit-only: not on this folder
    [InlineData("(A;;FA;;;CO)", false)]            // creator owner stands for the owner
    [InlineData("(A;;ZZ;;;{0})", true)]            // an unknown right is not trusted
    public void Windows_target_folder_entries(string entry, bool unsafeFolder)
    {
        var sddl = $"O:{Me}D:P(A;OICI;FA;;;{Me})" + string.Format(entry, Other);
        var problem = WindowsFolderAcl.Problem(@"C:\x", sddl, Me, isTarget: true);
        Assert.Equal(unsafeFolder, problem != null);
    }

    [Fact]
    public void Windows_folder_without_an_ACL_is_unsafe()
    {
        Assert.Contains("no access control list", WindowsFolderAcl.Problem(@"C:\x", $"O:{Me}D:NO_ACCESS_CONTROL", Me, isTarget: false));
    }
}
