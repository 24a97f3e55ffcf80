namespace NaraAuth.TestSupport.Harness;

/// <summary>
/// Unix file modes for test fixtures, so the same tests run on the Windows CI jobs: there a file
/// written into the test's own temporary folder already has the user's own ACL, and the store's
/// Windows ACL logic is proven by the Windows-only tests.
/// </summary>
public static class UnixModes
{
    /// <summary>True where file modes exist; tests about loose modes run only there.</summary>
    public static bool Available => !OperatingSystem.IsWindows();

    public static void Set(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    /// <summary>Asserts a Unix file mode where modes exist; on Windows the store's ACL tests cover the same promise.</summary>
    public static void AssertMode(UnixFileMode expected, string path)
    {
        if (!OperatingSystem.IsWindows()) Xunit.Assert.Equal(expected, File.GetUnixFileMode(path));
    }
}
