using System.Net.Http;
using System.Text.RegularExpressions;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Helpers shared by the Connect-EdgeConnector tests: file checks, token files, and the browser double.</summary>
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

    public static string WriteTokenFile(string path, string token)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"token\": \"" + token + "\", \"savedAt\": \"2025-01-15T10:30:00.000Z\"}");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, PrivateFile);
        return path;
    }

    public static string TokenIn(string tokenFile)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(tokenFile));
        return document.RootElement.GetProperty("token").GetString()!;
    }
}

/// <summary>
/// The "browser" of the tests: BROWSER points to a tiny script that records the URL it was
/// asked to open; the test then plays the person, loading that page over HTTP and pressing
/// Approve or Deny on its form, exactly as someone at the machine would.
/// </summary>
internal sealed class BrowserDouble
{
    private static readonly HttpClient Http = new();
    private readonly string _log;

    public BrowserDouble(PsSession session)
    {
        _log = Path.Combine(session.TempDir, "browser-opened.txt");
        if (OperatingSystem.IsWindows())
        {
            ScriptPath = Path.Combine(session.TempDir, "test-browser.cmd");
            File.WriteAllText(ScriptPath, "@echo %~1>>\"" + _log + "\"\r\n");
        }
        else
        {
            ScriptPath = Path.Combine(session.TempDir, "test-browser.sh");
            File.WriteAllText(ScriptPath, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + _log + "'\n");
            File.SetUnixFileMode(ScriptPath, PrivateModes.Executable);
        }
        session.SetEnv("BROWSER", ScriptPath);
    }

    public string ScriptPath { get; }

    public bool WasOpened => File.Exists(_log) && File.ReadAllText(_log).Length > 0;

    /// <summary>The URL the module asked the browser to open; fails when it never did.</summary>
    public string WaitForUrl(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (WasOpened) return File.ReadAllLines(_log).First(l => l.Length > 0).Trim();
            Thread.Sleep(20);
        }
        throw new Xunit.Sdk.XunitException("The module never opened the browser.");
    }

    /// <summary>Opens the approval page, checks it shows <paramref name="expectedCode"/>, and presses the button.</summary>
    public static string Answer(string url, string decision, string? expectedCode = null)
    {
        var page = Http.GetStringAsync(url).GetAwaiter().GetResult();
        var code = Regex.Match(page, "name=\"code\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(code), "The approval page has no form: " + page);
        Assert.Contains("<button type=\"submit\" name=\"decision\" value=\"" + decision + "\"", page);
        if (expectedCode != null) Assert.Equal(expectedCode, code);
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["decision"] = decision });
        var response = Http.PostAsync(new Uri(new Uri(url), "/desktop/approve"), form).GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, $"Pressing {decision} failed: HTTP {(int)response.StatusCode}");
        return code;
    }
}

internal static class PrivateModes
{
    public const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
}
