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

