using System;
using System.Security;
using NaraAuth.Core.Text;

namespace NaraAuth.Models;

/// <summary>
/// The stored Edge Connector token as Get-AuthToken reports it: everything but the token itself,
/// which the two twins below carry (SecureString, or string with -AsPlainText). No view shows it.
/// </summary>
public abstract class AuthTokenInfoBase
{
    public string Path { get; internal set; } = string.Empty;
    public TokenFileSource Source { get; internal set; }
    public string? Subject { get; internal set; }
    public string? Email { get; internal set; }
    public string? Organization { get; internal set; }
    public string? OrganizationName { get; internal set; }
    public string? Role { get; internal set; }
    public string? Issuer { get; internal set; }
    public DateTimeOffset? IssuedOn { get; internal set; }
    public DateTimeOffset? ExpiresOn { get; internal set; }
    /// <summary>Time left until expiry; negative once expired.</summary>
    public TimeSpan? ExpiresIn { get; internal set; }
    public bool IsExpired { get; internal set; }
    public DateTimeOffset? SavedAt { get; internal set; }
    /// <summary>True when -Verify checked the signature against the platform's keys.</summary>
    public bool SignatureVerified { get; internal set; }
    /// <summary>The account that owns the token file (a user name, or DOMAIN\name on Windows).</summary>
    public string? Owner { get; internal set; }
    /// <summary>With -RuntimeAccount: whether that account owns the token file; else null.</summary>
    public bool? OwnerMatchesRuntimeAccount { get; internal set; }

    // Never the token: ToString ends up in logs and transcripts.
    public override string ToString() => $"{Subject} @ {Organization} (expires {TimeText.Of(ExpiresOn)})";
}

/// <summary>Get-AuthToken: the token as a SecureString.</summary>
public sealed class AuthTokenInfo : AuthTokenInfoBase
{
    public SecureString Token { get; internal set; } = null!;
}

/// <summary>Get-AuthToken -AsPlainText: the same, with the token (the JWT) as a string.</summary>
public sealed class AuthTokenPlainTextInfo : AuthTokenInfoBase
{
    public string Token { get; internal set; } = string.Empty;
}
