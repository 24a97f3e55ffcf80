using System;
using System.Security;
using NaraAuth.Core.Text;

namespace NaraAuth.Models;

/// <summary>
/// A direct OIDC login (docs/protocol.md 2.3) as Invoke-OidcCliLogin -Authority reports it:
/// everything but the ID and access tokens, which the twins below carry. The refresh token never
/// leaves the owner-only session file. No view shows a token.
/// </summary>
public abstract class OidcSessionInfoBase
{
    public string Subject { get; internal set; } = string.Empty;
    public string? Email { get; internal set; }
    public string? Name { get; internal set; }
    /// <summary>When the session stops working: the earlier of the ID token's and the access token's expiry.</summary>
    public DateTimeOffset? ExpiresOn { get; internal set; }
    public DateTimeOffset? IdTokenExpiresOn { get; internal set; }
    /// <summary>The access token's expiry (expires_in of the token response); APIs answer 401 after it.</summary>
    public DateTimeOffset? AccessTokenExpiresOn { get; internal set; }
    public string Issuer { get; internal set; } = string.Empty;
    public string ClientId { get; internal set; } = string.Empty;
    public string Scope { get; internal set; } = string.Empty;
    public OidcLoginSource Source { get; internal set; }
    /// <summary>The owner-only session file.</summary>
    public string Path { get; internal set; } = string.Empty;

    public override string ToString() => $"{Subject} @ {Issuer} (expires {TimeText.Of(ExpiresOn)})";
}

/// <summary>The direct OIDC login with its tokens as SecureStrings.</summary>
public sealed class OidcSessionInfo : OidcSessionInfoBase
{
    /// <summary>The validated ID token.</summary>
    public SecureString IdToken { get; internal set; } = null!;
    /// <summary>The access token, when the provider issued one.</summary>
    public SecureString? AccessToken { get; internal set; }
}

/// <summary>-AsPlainText: the same, with the tokens as strings.</summary>
public sealed class OidcSessionPlainTextInfo : OidcSessionInfoBase
{
    /// <summary>The validated ID token.</summary>
    public string IdToken { get; internal set; } = string.Empty;
    /// <summary>The access token, when the provider issued one.</summary>
    public string? AccessToken { get; internal set; }
}
