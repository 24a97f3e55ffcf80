namespace NaraAuth.Core.Browser;

/// <summary>
/// Opens a URL for the person at the machine. The cmdlets hand each login the system browser
/// (<see cref="SystemBrowserLauncher"/>, steered by BROWSER); Core tests hand it one that records
/// what it was asked to open and plays the person, without starting a process.
/// </summary>
public interface IBrowserLauncher
{
    BrowserLaunchResult Open(string url);
}

public sealed class BrowserLaunchResult
{
    private BrowserLaunchResult(bool started, string description)
    {
        Started = started;
        Description = description;
    }

    /// <summary>True when a browser process was started (not that the page loaded).</summary>
    public bool Started { get; }
    /// <summary>What was started ("xdg-open"), or why nothing could be.</summary>
    public string Description { get; }

    public static BrowserLaunchResult Success(string what) => new(true, what);
    public static BrowserLaunchResult Failure(string why) => new(false, why);
}
