using System;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace NaraAuth.Core.Oidc;

/// <summary>The checked claims of an ID token.</summary>
public sealed class OidcIdentity
{
    public OidcIdentity(string subject, string? email, string? name, string issuer, DateTimeOffset? expiresAt)
    {
        Subject = subject;
        Email = email;
        Name = name;
        Issuer = issuer;
        ExpiresAt = expiresAt;
    }

    public string Subject { get; }
    public string? Email { get; }
    public string? Name { get; }
    public string Issuer { get; }
    public DateTimeOffset? ExpiresAt { get; }
}
