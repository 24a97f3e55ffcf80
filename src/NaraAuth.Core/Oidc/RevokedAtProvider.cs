using System.Net.Http;

namespace NaraAuth.Core.Oidc;

/// <summary>What the provider let a logout end: one entry per kind of revocation it accepted.</summary>
public static class RevokedAtProvider
{
    public const string RefreshToken = "RefreshToken";
    public const string AccessToken = "AccessToken";
    public const string Session = "Session";
}
