using System;
using System.Net.Http;
using System.Text.Json;

namespace NaraAuth.Core.EdgePlane;

/// <summary>What GET /auth/whoami answers (docs/protocol.md 2.2).</summary>
public sealed class EdgePlaneIdentity
{
    public EdgePlaneIdentity(string? subject, string? email, DateTimeOffset? expiresAt, long? sessionId, bool isAdmin)
    {
        Subject = subject;
        Email = email;
        ExpiresAt = expiresAt;
        SessionId = sessionId;
        IsAdmin = isAdmin;
    }

    public string? Subject { get; }
    public string? Email { get; }
    public DateTimeOffset? ExpiresAt { get; }
    public long? SessionId { get; }
    public bool IsAdmin { get; }
}
