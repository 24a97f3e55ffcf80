using System;

namespace NaraAuth.Core.Platform;

/// <summary>A server token as GET /api/tokens lists it (docs/protocol.md 1.6); the secret is never listed.</summary>
public sealed class ServerTokenRecord
{
    public ServerTokenRecord(string id, string name, DateTimeOffset? createdAt, DateTimeOffset? lastUsedAt)
    {
        Id = id;
        Name = name;
        CreatedAt = createdAt;
        LastUsedAt = lastUsedAt;
    }

    public string Id { get; }
    public string Name { get; }
    public DateTimeOffset? CreatedAt { get; }
    /// <summary>Null when the token was never used.</summary>
    public DateTimeOffset? LastUsedAt { get; }
}

