using System;

namespace NaraAuth.Core.Platform;

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
