namespace NaraAuth.TestSupport.Harness;

/// <summary>
/// A token file as another program (the Edge Connector runtime, a provisioning script) would
/// leave it: plain JSON, then made owner-only. The mode is set only where modes exist, so the
/// same tests run on the Windows jobs, where a file in the test's own temporary folder already
/// carries the user's own ACL.
/// </summary>
public static class TestTokenFile
{
    /// <summary>The savedAt of every test token file, so output that shows it is predictable.</summary>
    public const string SavedAt = "2025-01-15T10:30:00.000Z";

    /// <summary>Writes <paramref name="path"/> (creating its folder) and returns it.</summary>
    public static string Write(string path, string token)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, "{\"token\": \"" + token + "\", \"savedAt\": \"" + SavedAt + "\"}");
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Writes <paramref name="fileName"/> in <paramref name="directory"/> and returns its path.</summary>
    public static string WriteIn(string directory, string token, string fileName = "auth-token.json") =>
        Write(Path.Combine(directory, fileName), token);
}
