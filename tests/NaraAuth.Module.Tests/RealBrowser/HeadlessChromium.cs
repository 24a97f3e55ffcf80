using System.Diagnostics;
using System.Security.Cryptography;
using NaraAuth.Module.Tests.EdgePlane;
using PuppeteerSharp;
using NaraAuth.TestSupport.Certificates;

namespace NaraAuth.Module.Tests.RealBrowser;

/// <summary>
/// Debian's Chromium, headless, driven through PuppeteerSharp: the person's real browser for the
/// login tests. Trusts exactly the tests' loopback certificate (by its key, not by turning
/// certificate checks off), keeps its profile in a temporary folder, and on Dispose closes and
/// if need be kills the browser and removes the folder, so no process or file is left.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private readonly string _profile;
    private IBrowser? _browser;
    private int? _pid;

    private HeadlessChromium(string profile)
    {
        _profile = profile;
    }

    public IPage Page { get; private set; } = null!;

    public static async Task<HeadlessChromium> StartAsync()
    {
        // A missing browser is a failed test, never a skipped one: the flow would go unproven.
        Assert.True(File.Exists(ExecutablePath), $"Chromium is not installed at {ExecutablePath}; install Debian's package: apt-get install -y chromium");
        var chromium = new HeadlessChromium(Directory.CreateTempSubdirectory("naraauth-chromium-").FullName);
        try
        {
            var spki = Convert.ToBase64String(SHA256.HashData(LoopbackCertificate.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
            chromium._browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                UserDataDir = chromium._profile,
                Timeout = 60_000,
                Args = new[]
                {
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--ignore-certificate-errors-spki-list=" + spki,
                },
            });
            chromium._pid = chromium._browser.Process?.Id;
            chromium.Page = await chromium._browser.NewPageAsync();
            chromium.Page.DefaultTimeout = 30_000;
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>The visible text of the current page.</summary>
    public Task<string> TextAsync() => Page.EvaluateExpressionAsync<string>("document.body ? document.body.innerText : ''");

    /// <summary>Waits (bounded) until the page shows <paramref name="text"/>; returns the page's text.</summary>
    public async Task<string> WaitForTextAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await TextAsync();
                if (last.Contains(text, StringComparison.Ordinal)) return last;
            }
            catch (PuppeteerException)
            {
                // The page is navigating (a form post, a redirect): look again.
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"The browser never showed '{text}'. It shows: {last}");
    }

    /// <summary>Saves a screenshot of the page under the test output (bin/.../TestResults/browser).</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestResults", "browser");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await Page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser != null)
        {
            try
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _browser.CloseAsync().WaitAsync(closing.Token);
            }
            catch (Exception e) when (e is OperationCanceledException || e is PuppeteerException || e is TimeoutException)
            {
            }
            _browser.Dispose();
            _browser = null;
        }
        if (_pid is { } pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
                _pid = null;
            }
            catch (ArgumentException)
            {
                _pid = null; // already gone
            }
            catch (InvalidOperationException)
            {
            }
        }
        for (var attempt = 0; attempt < 10 && Directory.Exists(_profile); attempt++)
        {
            try { Directory.Delete(_profile, recursive: true); }
            catch (IOException) { await Task.Delay(200); }
            catch (UnauthorizedAccessException) { await Task.Delay(200); }
        }
    }

    /// <summary>True when a process of this browser (by its profile folder) is still running.</summary>
    public static bool AnyRunning(string profileFragment) =>
        Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Any(f =>
        {
            try { return File.Exists(f) && File.ReadAllText(f).Contains(profileFragment, StringComparison.Ordinal); }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        });

    public string ProfileFolder => _profile;
}
