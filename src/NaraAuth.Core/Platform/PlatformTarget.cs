using System;

namespace NaraAuth.Core.Platform;

/// <summary>The platform base URL and who named it.</summary>
public sealed class PlatformTarget
{
    public PlatformTarget(Uri url, PlatformUrlSource source)
    {
        Url = url;
        Source = source;
    }

    public Uri Url { get; }
    public PlatformUrlSource Source { get; }

    /// <summary>Named by the person running the command, not read from a file.</summary>
    public bool NamedByInvoker => Source != PlatformUrlSource.ConfigFile;
}
