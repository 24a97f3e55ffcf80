namespace NaraAuth.Core.Logout;

/// <summary>What a logout did.</summary>
public enum LogoutStatus
{
    /// <summary>Something was removed.</summary>
    Disconnected,
    /// <summary>There was nothing to remove.</summary>
    NotConnected,
    /// <summary>-WhatIf, or a declined confirmation: nothing was removed.</summary>
    WhatIf,
}
