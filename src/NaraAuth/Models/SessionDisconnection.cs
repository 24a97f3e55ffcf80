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

    public override string ToString() => $"{Status}: {Removed.Length} file(s) removed ({Path})";
}
