using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>
/// The Windows descriptors of files written for the runtime account, and how account names
/// become SIDs, on synthetic data so every OS proves them; the Windows Pester job proves the
/// real ACL.
/// </summary>
public class WindowsRuntimeAclTests
{
    private const string Admin = "S-1-5-21-1004336348-1177238915-682003330-500";
    private const string Gmsa = "S-1-5-21-1004336348-1177238915-682003330-3101";
    private const string TrustedInstaller = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";

    [Theory]
    [InlineData(Gmsa)]
    [InlineData(WindowsAccountSid.LocalSystem)]
    [InlineData(TrustedInstaller)]
    public void A_runtime_file_is_owned_by_the_account_protected_and_grants_it_alone_full_control(string runtime)
    {
        Assert.Equal($"O:{runtime}D:P(A;;FA;;;{runtime})", WindowsOwnerOnlyAcl.ForRuntimeFile(runtime, allowAdministrators: false));
    }

    [Fact]
    public void Administrators_are_granted_only_when_asked()
    {
        var sddl = WindowsOwnerOnlyAcl.ForRuntimeFile(Gmsa, allowAdministrators: true);
        Assert.Equal($"O:{Gmsa}D:P(A;;FA;;;{Gmsa})(A;;FA;;;S-1-5-32-544)", sddl);
        Assert.DoesNotContain("S-1-5-32-544", WindowsOwnerOnlyAcl.ForRuntimeFile(Gmsa, allowAdministrators: false));
    }

    [Fact]
    public void No_runtime_descriptor_carries_an_inherited_entry()
    {
        foreach (var sddl in new[]
                 {
                     WindowsOwnerOnlyAcl.ForRuntimeFile(Gmsa, true),
                     WindowsOwnerOnlyAcl.ForRuntimeDirectory(Gmsa, Admin, true),
                 })
        {
            Assert.StartsWith($"O:{Gmsa}D:P(", sddl);
            // ID marks an entry inherited from the parent; P blocks them all.
            Assert.DoesNotContain(";ID", sddl);
            Assert.DoesNotContain("ID;", sddl);
        }
    }

    [Fact]
    public void A_runtime_folder_is_inherited_by_its_files_and_lets_the_writer_replace_but_not_read_them()
    {
        var sddl = WindowsOwnerOnlyAcl.ForRuntimeDirectory(Gmsa, Admin, allowAdministrators: false);
        Assert.Equal($"O:{Gmsa}D:P(A;OICI;FA;;;{Gmsa})(A;;FA;;;{Admin})", sddl);
        // The writer's entry has no OI/CI: files created in the folder never inherit it.
        Assert.Contains($"(A;;FA;;;{Admin})", sddl);
        // The runtime account writing its own folder gets no second entry.
        Assert.Equal($"O:{Gmsa}D:P(A;OICI;FA;;;{Gmsa})", WindowsOwnerOnlyAcl.ForRuntimeDirectory(Gmsa, Gmsa, allowAdministrators: false));
        Assert.EndsWith("(A;OICI;FA;;;S-1-5-32-544)", WindowsOwnerOnlyAcl.ForRuntimeDirectory(Gmsa, Admin, allowAdministrators: true));
    }

    [Fact]
    public void Without_the_right_to_hand_ownership_over_only_the_access_list_is_applied()
    {
        var sddl = WindowsOwnerOnlyAcl.ForRuntimeFile(Gmsa, allowAdministrators: false);
        Assert.Equal($"D:P(A;;FA;;;{Gmsa})", WindowsOwnerOnlyAcl.WithoutOwner(sddl));
    }

    [Fact]
    public void A_folder_made_for_the_runtime_account_passes_the_folder_rule_for_it_and_for_no_one_else()
    {
        var sddl = WindowsOwnerOnlyAcl.ForRuntimeDirectory(Gmsa, Admin, allowAdministrators: false);
        Assert.Null(WindowsFolderAcl.Problem(@"C:\ProgramData\EdgeConnector", sddl, Admin, isTarget: true, runtimeSid: Gmsa));
        // Judged for another writer and no runtime account, the folder belongs to someone else.
        Assert.Contains("owned by another account", WindowsFolderAcl.Problem(@"C:\ProgramData\EdgeConnector", sddl, Admin, isTarget: true));
    }

    [Fact]
    public void A_bad_SID_is_refused()
    {
        Assert.Throws<ArgumentException>(() => WindowsOwnerOnlyAcl.ForRuntimeFile("svc-edge", false));
        Assert.Throws<ArgumentException>(() => WindowsOwnerOnlyAcl.ForRuntimeDirectory(Gmsa, "(A;;FA;;;WD)", false));
    }

    [Theory]
    [InlineData("LocalSystem", WindowsAccountSid.LocalSystem)]
    [InlineData("NT AUTHORITY\\SYSTEM", WindowsAccountSid.LocalSystem)]
    [InlineData("localsystem", WindowsAccountSid.LocalSystem)]
    [InlineData("NT AUTHORITY\\LOCAL SERVICE", WindowsAccountSid.LocalService)]
    [InlineData("NetworkService", WindowsAccountSid.NetworkService)]
    [InlineData("NT SERVICE\\TrustedInstaller", TrustedInstaller)]
    [InlineData("nt service\\TRUSTEDINSTALLER", TrustedInstaller)]
    [InlineData(" S-1-5-18 ", WindowsAccountSid.LocalSystem)]
    public void Fixed_and_service_accounts_are_resolved_without_asking_Windows(string name, string sid)
    {
        Assert.Equal(sid, WindowsAccountSid.Resolve(name, _ => throw new InvalidOperationException("no lookup expected for " + name)));
    }

    [Fact]
    public void A_service_that_is_not_installed_yet_still_has_its_virtual_SID()
    {
        var sid = WindowsAccountSid.ServiceSid("EdgeConnector");
        Assert.Matches(@"^S-1-5-80(-\d+){5}$", sid);
        Assert.Equal(sid, WindowsAccountSid.Resolve("NT SERVICE\\EdgeConnector", _ => null));
        Assert.NotEqual(sid, WindowsAccountSid.ServiceSid("EdgeConnector2"));
    }

    [Fact]
    public void Users_domain_accounts_and_group_managed_service_accounts_are_translated_by_Windows()
    {
        var asked = new List<string>();
        string? Translate(string name)
        {
            asked.Add(name);
            return name == "CONTOSO\\edge-gmsa$" ? Gmsa : null;
        }
        Assert.Equal(Gmsa, WindowsAccountSid.Resolve("CONTOSO\\edge-gmsa$", Translate));
        Assert.Null(WindowsAccountSid.Resolve("svc-missing", Translate));
        Assert.Equal(new[] { "CONTOSO\\edge-gmsa$", "svc-missing" }, asked);
    }

    [Fact]
    public void The_owner_is_read_from_a_descriptor_with_aliases_spelled_out()
    {
        Assert.Equal("S-1-5-32-544", WindowsFolderAcl.OwnerSid("O:BAG:SYD:P(A;;FA;;;BA)"));
        Assert.Equal(Gmsa, WindowsFolderAcl.OwnerSid($"O:{Gmsa}D:P(A;;FA;;;{Gmsa})"));
        Assert.Null(WindowsFolderAcl.OwnerSid("D:P(A;;FA;;;BA)"));
    }

    [Fact]
    public void A_runtime_file_owner_matches_the_account_by_SID_whatever_its_spelling()
    {
        var account = RuntimeAccount.ForWindows("contoso\\EDGE-GMSA$", Gmsa, allowAdministrators: false);
        Assert.True(new FileOwner("CONTOSO\\edge-gmsa$", Gmsa).IsAccount(account));
        Assert.False(new FileOwner("BUILTIN\\Administrators", "S-1-5-32-544").IsAccount(account));
        Assert.Equal("contoso\\EDGE-GMSA$", account.ToString());
    }
}
