using System.Runtime.CompilerServices;

namespace NaraAuth.Core.Oidc;

/// <summary>How a direct OIDC login was satisfied.</summary>
public enum OidcLoginSource
{
    /// <summary>The saved session was still valid.</summary>
    Saved,
    /// <summary>The saved refresh token got new tokens without the person.</summary>
    Refreshed,
    DeviceCode,
    Interactive,
    /// <summary>A new access token for the client itself (client credentials grant, no person).</summary>
    ClientCredentials,
}
