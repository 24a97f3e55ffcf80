namespace NaraAuth.Core.Browser;

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
