namespace NaraAuth.Core.Browser;

/// <summary>Opens a URL for the person at the machine. A seam so tests can act as the browser.</summary>
public interface IBrowserLauncher
{
    BrowserLaunchResult Open(string url);
}

