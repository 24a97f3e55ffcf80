using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Helpers shared by the Connect-EdgeConnector tests: file checks and token files.</summary>
internal static class EdgeConnectorTestKit
{
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void AssertPrivate(string file)
    {
        Assert.True(File.Exists(file), $"'{file}' was not written.");
        // On Windows the owner-only ACL is the store's job, proven by the foundation's Windows tests.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(PrivateFile, File.GetUnixFileMode(file));
            Assert.Equal(PrivateFolder, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }
        // No temporary file (which could hold the secret) is left beside it.
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp"));
    }

    public static string WriteTokenFile(string path, string token) => TestTokenFile.Write(path, token);

    public static string TokenIn(string tokenFile)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(tokenFile));
        return document.RootElement.GetProperty("token").GetString()!;
    }
}
