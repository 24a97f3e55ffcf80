using System;

namespace NaraAuth.Core.Oidc.Browser;

/// <summary>
/// Opens a URL for the person at the machine. A seam so tests can put a browser double in place
/// (through BROWSER, as a person would) and so a headless machine can report that none exists.
/// </summary>
public interface IBrowserLauncher
{
    /// <summary>True when a browser was started; otherwise <paramref name="problem"/> says why not.</summary>
    bool TryOpen(Uri url, out string? problem);
}
