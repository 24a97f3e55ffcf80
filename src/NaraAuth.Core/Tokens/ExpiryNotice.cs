using System;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Tokens;

/// <summary>
/// The warning Get-AuthToken gives about a credential that has expired or soon will, worded the
/// same for every kind of credential it reads.
/// </summary>
public static class ExpiryNotice
{
    /// <summary>A credential good for less than this needs renewing now (Get-AuthToken and Get-NaraAuthStatus -WarningWindow).</summary>
    public static readonly TimeSpan DefaultWarningWindow = TimeSpan.FromMinutes(10);

    /// <param name="what">The credential and its file ("The token in '...'").</param>
    /// <param name="expiresAt">Null for a credential without an expiry: never warned about.</param>
    /// <param name="again">How to get a fresh one ("Log in again with Connect-EdgeConnector.").</param>
    /// <returns>The warning, or null when the credential is good for longer than <paramref name="warningWindow"/>.</returns>
    public static string? For(string what, DateTimeOffset? expiresAt, DateTimeOffset now, TimeSpan warningWindow, string again)
    {
        if (expiresAt is not { } expires) return null;
        if (expires <= now) return $"{what} has expired. {again}";
        var left = expires - now;
        if (left > warningWindow) return null;
        return $"{what} expires in {Math.Max(0, (int)left.TotalMinutes)} minute(s), at {TimeText.Of(expires)}. {again}";
    }
}
