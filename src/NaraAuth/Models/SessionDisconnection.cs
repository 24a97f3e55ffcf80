namespace NaraAuth.Models;

/// <summary>
/// What Disconnect-EdgePlane or Disconnect-OidcSession removed (-PassThru): the session file and
/// every file removed with it. Never holds a secret.
/// </summary>
public sealed class SessionDisconnection
{
    /// <summary>Disconnected (something was removed), NotConnected (nothing to remove) or WhatIf (-WhatIf or a declined confirmation).</summary>
    public DisconnectStatus Status { get; internal set; }
    /// <summary>The session file.</summary>
    public string Path { get; internal set; } = string.Empty;
    /// <summary>Every file removed by this call: the session file and, for a browser login, MSAL's token cache (empty when there was nothing to remove).</summary>
    public string[] Removed { get; internal set; } = new string[0];
    /// <summary>What the identity provider ended before the files were removed: RefreshToken or AccessToken (revoked, RFC 7009) and Session (RP-initiated logout). Empty when the provider advertises neither, or refused.</summary>
    public string[] RevokedAtProvider { get; internal set; } = new string[0];
    /// <summary>Why something was only removed locally (the provider failed or refused); null when nothing went wrong there.</summary>
    public string? RevocationProblem { get; internal set; }

    public override string ToString() => $"{Status}: {Removed.Length} file(s) removed ({Path})";
}
