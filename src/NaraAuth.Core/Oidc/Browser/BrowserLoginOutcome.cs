using NaraAuth.Core.Oidc;

namespace NaraAuth.Core.Oidc.Browser;

/// <summary>What MSAL brought back: the tokens and the account they belong to.</summary>
public sealed class BrowserLoginOutcome
{
    public BrowserLoginOutcome(OidcTokens tokens, string? accountId, bool silent)
    {
        Tokens = tokens;
        AccountId = accountId;
        Silent = silent;
    }

    public OidcTokens Tokens { get; }
    /// <summary>MSAL's home account id, saved with the session so a later silent refresh asks for it.</summary>
    public string? AccountId { get; }
    public bool Silent { get; }

    /// <summary>
    /// MSAL's token cache as this login left it (refresh, access and ID tokens), not yet on disk:
    /// written only once PowerShell has accepted the login (<see cref="OidcLogin"/>), so a login
    /// refused after the code exchange leaves no token behind. Null when the cache did not change.
    /// </summary>
    public byte[]? PendingCache { get; set; }
}
