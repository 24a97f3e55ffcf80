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

/// <summary>A just-created server token with its secret, which the platform returns only this once.</summary>
public sealed class CreatedServerToken
{
    public CreatedServerToken(string id, string name, string secret, DateTimeOffset? createdAt)
    {
        Id = id;
        Name = name;
        Secret = secret;
        CreatedAt = createdAt;
    }

    public string Id { get; }
    public string Name { get; }
    /// <summary>nara_tk_...; never logged.</summary>
    public string Secret { get; }
    public DateTimeOffset? CreatedAt { get; }
}

/// <summary>A runnable functional agent (docs/protocol.md 1.7).</summary>
public sealed class AgentRecord
{
    public AgentRecord(string name, string? description)
    {
        Name = name;
        Description = description;
    }

    public string Name { get; }
    public string? Description { get; }
}
