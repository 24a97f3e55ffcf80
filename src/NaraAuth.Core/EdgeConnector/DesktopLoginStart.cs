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

/// <summary>What the waiting loop reports while the person has not answered yet.</summary>
public sealed class DesktopLoginProgress
{
    public DesktopLoginProgress(TimeSpan remaining, TimeSpan lifetime, int polls, TimeSpan interval)
    {
        Remaining = remaining;
        Lifetime = lifetime;
        Polls = polls;
        Interval = interval;
    }

    /// <summary>Time left until the code expires (or the -LoginTimeoutSec deadline, whichever is first).</summary>
    public TimeSpan Remaining { get; }
    public TimeSpan Lifetime { get; }
    public int Polls { get; }
    public TimeSpan Interval { get; }
}
