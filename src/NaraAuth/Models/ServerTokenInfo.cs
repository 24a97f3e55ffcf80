using System;

namespace NaraAuth.Models;

/// <summary>A server token as Get-ServerToken lists it. The secret is never part of a listing.</summary>
public sealed class ServerTokenInfo
{
    public string Id { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;
    public DateTimeOffset? CreatedAt { get; internal set; }
    /// <summary>Null when the token was never used (handy for finding tokens to revoke).</summary>
    public DateTimeOffset? LastUsedAt { get; internal set; }
    /// <summary>The platform the token belongs to.</summary>
    public string BaseUrl { get; internal set; } = string.Empty;

    public override string ToString() => $"{Name} ({Id})";
}
