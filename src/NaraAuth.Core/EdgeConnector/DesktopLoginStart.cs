using System;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>The platform's answer to POST /api/auth/desktop/start (docs/protocol.md 1.1).</summary>
public sealed class DesktopLoginStart
{
    public DesktopLoginStart(string code, string url, DateTimeOffset expiresAt, TimeSpan interval)
    {
        Code = code;
        Url = url;
        ExpiresAt = expiresAt;
        Interval = interval;
    }

    /// <summary>The code the person checks on the approval page, e.g. WDJB-MJHT.</summary>
    public string Code { get; }
    public string Url { get; }
    public DateTimeOffset ExpiresAt { get; }
    public TimeSpan Interval { get; }
}
