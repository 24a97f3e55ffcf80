using System.Text.RegularExpressions;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.TestSupport.EdgeConnector;

/// <summary>
/// The "browser" of the tests: BROWSER points to a tiny script that records the URL it was
/// asked to open; the test then plays the person, loading that page over HTTP and pressing
/// Approve or Deny on its form, exactly as someone at the machine would.
/// </summary>
public sealed class BrowserDouble
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
            File.SetUnixFileMode(ScriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
