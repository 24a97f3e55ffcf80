using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// How the module hands out its dependencies. On Windows PowerShell 5.1 the AssemblyResolve
/// handler must only answer NaraAuth's own assemblies; the decision is plain path logic, tested
/// here, and exercised for real by the Windows PowerShell job.
/// </summary>
public class ModuleLoadingTests
{
    private const string IsOwnRequest =
        "[NaraAuth.ModuleInitializer].GetMethod('IsOwnRequest', [Reflection.BindingFlags]'NonPublic,Static').Invoke($null, @($args[0], $args[1]))";

    [Theory]
    [InlineData("NaraAuth.dll", true)]
    [InlineData("Dependencies/NaraAuth.Core.dll", true)]
    [InlineData("Dependencies/Microsoft.Identity.Client.dll", true)]
    [InlineData("../Az.Accounts/Az.Accounts.dll", false)]
    [InlineData("Dependencies/nested/Other.dll", false)]
    [InlineData("", false)]
    public void Only_the_modules_own_assemblies_are_answered_from_Dependencies(string requesting, bool expected)
    {
        using var session = new PsSession();
        var moduleDir = Path.Combine(session.TempDir, "Modules", "NaraAuth");
        var location = requesting.Length == 0 ? "" : Path.GetFullPath(Path.Combine(moduleDir, requesting));
        var answer = session.Run(IsOwnRequest, location, moduleDir).Single<bool>();
        Assert.Equal(expected, answer);
    }

    [Fact]
    public void The_module_can_be_removed_and_imported_again_in_one_session()
    {
        using var session = new PsSession();
        var result = session.Run(
            "Remove-Module NaraAuth -ErrorAction Stop; Import-Module -Name $args[0] -ErrorAction Stop; " +
            "(Get-Command Get-AuthToken -ErrorAction Stop).Name", RepoPaths.StagedManifest);
        Assert.Equal("Get-AuthToken", result.Single<string>());
    }
}
