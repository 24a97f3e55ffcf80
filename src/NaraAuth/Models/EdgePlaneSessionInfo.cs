using System;

namespace NaraAuth.Models;

/// <summary>
/// An EdgePlane session (docs/protocol.md 2.1), as Invoke-OidcCliLogin and Get-AuthToken -EdgePlane
/// report it. Token is a SecureString, or a String with -AsPlainText; no view shows it.
/// </summary>
public sealed class EdgePlaneSessionInfo
{
    public string? Subject { get; internal set; }
    public string? Email { get; internal set; }
    public DateTime? ExpiresOn { get; internal set; }
    /// <summary>Time left until expiry; negative once expired.</summary>
    public TimeSpan? ExpiresIn { get; internal set; }
    public bool IsExpired { get; internal set; }
    public string BaseUrl { get; internal set; } = string.Empty;
    public long? SessionId { get; internal set; }
    /// <summary>The session file (~/.edgeplane/session.json).</summary>
    public string Path { get; internal set; } = string.Empty;
    /// <summary>The mcs_ session token: SecureString, or String with -AsPlainText.</summary>
    public object? Token { get; internal set; }

    public override string ToString() => $"{Subject} @ {BaseUrl} (expires {ExpiresOn:u})";
}
