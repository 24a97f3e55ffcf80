using System;
using NaraAuth.Core.Status;

namespace NaraAuth.Core.Sessions;

/// <summary>One login saved on this machine, as Get-OidcSession lists it. Holds no token.</summary>
public sealed class SavedLogin
{
    public SavedLogin(CredentialKind kind, string path)
    {
        Kind = kind;
        Path = path;
    }

    /// <summary>OidcSession (a direct login at an identity provider) or EdgePlaneSession: the words Get-NaraAuthStatus uses.</summary>
    public CredentialKind Kind { get; }
    public string Path { get; }
    /// <summary>The issuer of a direct login, or EdgePlane's base URL.</summary>
    public string? Issuer { get; set; }
    public string? ClientId { get; set; }
    public string? Scope { get; set; }
    public string? Subject { get; set; }
    public string? Email { get; set; }
    public DateTimeOffset? IdTokenExpiresAt { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    /// <summary>When the first token expires (EdgePlane: the session).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>A refresh token is saved (in the session file, or MSAL's cache beside it).</summary>
    public bool CanRefresh { get; set; }
    /// <summary>For a client credentials login: how its token is obtained again (method and non-secret parameters); null for a person's login.</summary>
    public string? ClientCredential { get; set; }
    /// <summary>MSAL's token cache file of a browser login, when there is one.</summary>
    public string? CachePath { get; set; }
    /// <summary>Why the file could not be read, or null.</summary>
    public string? Problem { get; set; }
}
