using System;
using System.Security;

namespace NaraAuth.Models;

/// <summary>
/// The stored Edge Connector token as Get-AuthToken reports it. The token itself is only a
/// SecureString here; its format view never shows it.
/// </summary>
public sealed class AuthTokenInfo
{
    public string Path { get; internal set; } = string.Empty;
    public TokenFileSource Source { get; internal set; }
    public string? Subject { get; internal set; }
    public string? Email { get; internal set; }
    public string? Organization { get; internal set; }
    public string? OrganizationName { get; internal set; }
    public string? Role { get; internal set; }
    public string? Issuer { get; internal set; }
    public DateTime? IssuedOn { get; internal set; }
    public DateTime? ExpiresOn { get; internal set; }
    /// <summary>Time left until expiry; negative once expired.</summary>
    public TimeSpan? ExpiresIn { get; internal set; }
    public bool IsExpired { get; internal set; }
    public DateTime? SavedAt { get; internal set; }
    /// <summary>True when -Verify checked the signature against the platform's keys.</summary>
    public bool SignatureVerified { get; internal set; }
    /// <summary>The account that owns the token file (a user name, or DOMAIN\name on Windows).</summary>
    public string? Owner { get; internal set; }
    /// <summary>With -RuntimeAccount: whether that account owns the token file; else null.</summary>
    public bool? OwnerMatchesRuntimeAccount { get; internal set; }
    public SecureString? Token { get; internal set; }

    public override string ToString() => $"{Subject} @ {Organization} (expires {ExpiresOn:u})";
}
