using System;

namespace NaraAuth.Models;

/// <summary>
/// A direct OIDC login (docs/protocol.md 2.3) as Invoke-OidcCliLogin -Authority reports it. IdToken and
/// AccessToken are SecureStrings, or Strings with -AsPlainText; the refresh token never leaves the
/// owner-only session file. No view shows a token.
/// </summary>
public sealed class OidcSessionInfo
{
    public string Subject { get; internal set; } = string.Empty;
    public string? Email { get; internal set; }
    public string? Name { get; internal set; }
    /// <summary>When the session stops working: the earlier of the ID token's and the access token's expiry.</summary>
    public DateTime? ExpiresOn { get; internal set; }
    public DateTime? IdTokenExpiresOn { get; internal set; }
    /// <summary>The access token's expiry (expires_in of the token response); APIs answer 401 after it.</summary>
    public DateTime? AccessTokenExpiresOn { get; internal set; }
    public string Issuer { get; internal set; } = string.Empty;
    public string ClientId { get; internal set; } = string.Empty;
    public string Scope { get; internal set; } = string.Empty;
    public OidcLoginSource Source { get; internal set; }
    /// <summary>The owner-only session file.</summary>
    public string Path { get; internal set; } = string.Empty;
    /// <summary>The validated ID token (SecureString, or String with -AsPlainText).</summary>
    public object? IdToken { get; internal set; }
    /// <summary>The access token, when the provider issued one (SecureString, or String with -AsPlainText).</summary>
    public object? AccessToken { get; internal set; }

    public override string ToString() => $"{Subject} @ {Issuer} (expires {ExpiresOn:u})";
}
