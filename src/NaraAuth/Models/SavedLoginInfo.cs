using System;
using NaraAuth.Core.Text;

namespace NaraAuth.Models;

/// <summary>
/// A login saved on this machine, as Get-OidcSession lists it: a direct OIDC session or the
/// EdgePlane session. Carries no token; pipe it to Disconnect-OidcSession to end it.
/// </summary>
public sealed class SavedLoginInfo
{
    /// <summary>Oidc (direct login at an identity provider) or EdgePlane.</summary>
    public string Kind { get; internal set; } = string.Empty;
    /// <summary>The identity provider's issuer, or EdgePlane's base URL.</summary>
    public string? Issuer { get; internal set; }
    public string? ClientId { get; internal set; }
    public string? Scope { get; internal set; }
    public string? Subject { get; internal set; }
    public string? Email { get; internal set; }
    public DateTimeOffset? IdTokenExpiresOn { get; internal set; }
    public DateTimeOffset? AccessTokenExpiresOn { get; internal set; }
    /// <summary>When the first token expires (EdgePlane: the session).</summary>
    public DateTimeOffset? ExpiresOn { get; internal set; }
    public bool IsExpired { get; internal set; }
    /// <summary>A refresh token is kept, so an expired session is renewed without asking.</summary>
    public bool CanRefresh { get; internal set; }
    /// <summary>The session file.</summary>
    public string Path { get; internal set; } = string.Empty;
    /// <summary>MSAL's token cache beside a browser login's session file, when there is one.</summary>
    public string? CachePath { get; internal set; }

    public override string ToString() => $"{Kind}: {Subject} @ {Issuer} (expires {TimeText.Of(ExpiresOn)})";
}
