using System;
using System.IO;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.EdgePlane;

/// <summary>
/// Idempotent EdgePlane login, like Connect-EdgeConnector: a saved session for the same base URL
/// that stays valid long enough is kept instead of starting a new browser login.
/// </summary>
public static class EdgePlaneSessionReuse
{
    public static readonly TimeSpan DefaultMinimumValidity = TimeSpan.FromHours(1);

    /// <returns>The reusable session, or null with the reason in <paramref name="why"/>.</returns>
    public static EdgePlaneSession? Find(SecureFileStore store, string path, Uri baseUrl, DateTimeOffset now, TimeSpan minimumValidity, out string why)
    {
        if (!File.Exists(path))
        {
            why = $"No saved EdgePlane session at '{path}'.";
            return null;
        }
        EdgePlaneSession saved;
        try
        {
            saved = EdgePlaneSession.Read(store, path, out _);
        }
        catch (NaraAuthException e)
        {
            why = e.Message + " A new login replaces it.";
            return null;
        }
        if (!string.Equals(saved.BaseUrl.TrimEnd('/'), EdgePlaneUrl.ToStored(baseUrl), StringComparison.OrdinalIgnoreCase))
        {
            why = $"The saved EdgePlane session is for {saved.BaseUrl}, not {EdgePlaneUrl.ToStored(baseUrl)}.";
            return null;
        }
        if (saved.ExpiresAt is not { } expires || expires - minimumValidity <= now)
        {
            why = saved.ExpiresAt is { } e2 ? $"The saved EdgePlane session ends at {TimeText.Of(e2)}, within the required validity of {minimumValidity}." : "The saved EdgePlane session has no expiry.";
            return null;
        }
        why = string.Empty;
        return saved;
    }
}
