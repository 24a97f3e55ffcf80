using System;

namespace NaraAuth.Models;

/// <summary>Who EdgePlane says the current session belongs to (GET /auth/whoami, docs/protocol.md 2.2).</summary>
public sealed class EdgePlaneIdentityInfo
{
    public string? Subject { get; internal set; }
    public string? Email { get; internal set; }
    public bool IsAdmin { get; internal set; }
    public DateTimeOffset? ExpiresOn { get; internal set; }
    public long? SessionId { get; internal set; }
    public string BaseUrl { get; internal set; } = string.Empty;

    public override string ToString() => $"{Subject} <{Email}> @ {BaseUrl}";
}
