using System;
using System.Security;
using NaraAuth.Core.Text;

namespace NaraAuth.Models;

/// <summary>
/// An EdgePlane session (docs/protocol.md 2.1), as Invoke-OidcCliLogin and Get-AuthToken -EdgePlane
/// report it: everything but the mcs_ session token, which the twins below carry. No view shows it.
/// </summary>
public abstract class EdgePlaneSessionInfoBase
{
    public string? Subject { get; internal set; }
    public string? Email { get; internal set; }
    public DateTimeOffset? ExpiresOn { get; internal set; }
    /// <summary>Time left until expiry; negative once expired.</summary>
    public TimeSpan? ExpiresIn { get; internal set; }
    public bool IsExpired { get; internal set; }
    public string BaseUrl { get; internal set; } = string.Empty;
    public long? SessionId { get; internal set; }
    /// <summary>The session file (~/.edgeplane/session.json).</summary>
    public string Path { get; internal set; } = string.Empty;

    public override string ToString() => $"{Subject} @ {BaseUrl} (expires {TimeText.Of(ExpiresOn)})";
}

/// <summary>The EdgePlane session with its token as a SecureString.</summary>
public sealed class EdgePlaneSessionInfo : EdgePlaneSessionInfoBase
{
    public SecureString Token { get; internal set; } = null!;
}

/// <summary>-AsPlainText: the same, with the mcs_ session token as a string.</summary>
public sealed class EdgePlaneSessionPlainTextInfo : EdgePlaneSessionInfoBase
{
    public string Token { get; internal set; } = string.Empty;
}
