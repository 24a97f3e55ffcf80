namespace NaraAuth.Core.Tests;

/// <summary>
/// Tests of the Unix store's file modes run only where file modes exist, so the Windows CI jobs
/// can pass; the Windows store's ACLs have their own tests.
/// </summary>
public static class UnixModes
{
    public static bool Available => !OperatingSystem.IsWindows();

    /// <summary>Asserts a Unix file mode where modes exist; on Windows the store's ACL tests cover the same promise.</summary>
    public static void AssertMode(UnixFileMode expected, string path)
    {
        if (!OperatingSystem.IsWindows()) Xunit.Assert.Equal(expected, File.GetUnixFileMode(path));
    }
}
