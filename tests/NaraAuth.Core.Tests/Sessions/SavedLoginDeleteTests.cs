using NaraAuth.Core.Errors;
using NaraAuth.Core.Sessions;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tests.Sessions;

/// <summary>How a logout removes the EdgePlane session file.</summary>
public class SavedLoginDeleteTests
{
    [Fact]
    public void The_EdgePlane_session_is_deleted_and_a_second_logout_deletes_nothing()
    {
        using var home = new TempDir();
        var env = new FakeEnvironment(home.Path);
        var catalog = new SavedLoginCatalog(env, new SecureFileStore(env));
        Directory.CreateDirectory(Path.GetDirectoryName(catalog.EdgePlanePath)!);
        File.WriteAllText(catalog.EdgePlanePath, "{}");
        Assert.Equal(new[] { catalog.EdgePlanePath }, SavedLoginCatalog.Delete(new[] { catalog.EdgePlanePath }, "EdgePlaneSessionDeleteFailed"));
        Assert.False(File.Exists(catalog.EdgePlanePath));
        Assert.Empty(SavedLoginCatalog.Delete(new[] { catalog.EdgePlanePath }, "EdgePlaneSessionDeleteFailed"));
    }

    [Fact]
    public void A_folder_where_the_session_file_belongs_is_never_deleted()
    {
        using var home = new TempDir();
        var env = new FakeEnvironment(home.Path);
        var path = new SavedLoginCatalog(env, new SecureFileStore(env)).EdgePlanePath;
        // A folder where the file should be: File.Delete cannot remove it, on every platform.
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside"), "x");
        var e = Record.Exception(() => SavedLoginCatalog.Delete(new[] { path }, "EdgePlaneSessionDeleteFailed"));
        // File.Exists is false for a folder, so nothing is attempted and nothing fails.
        Assert.Null(e);
        Assert.True(Directory.Exists(path));
    }
}
