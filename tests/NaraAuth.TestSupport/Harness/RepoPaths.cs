namespace NaraAuth.TestSupport.Harness;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The staged module's manifest, imported by absolute path, as a user imports a module they built.</summary>
    public static string StagedManifest => Path.Combine(Root, "out", "NaraAuth", "NaraAuth.psd1");
    public static string StagedModuleDirectory => Path.Combine(Root, "out", "NaraAuth");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "NaraAuth.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NaraAuth.sln not found above " + AppContext.BaseDirectory);
    }
}
