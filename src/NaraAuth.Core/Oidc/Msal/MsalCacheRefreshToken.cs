using System;
using System.IO;
using System.Text.Json;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Oidc.Msal;

/// <summary>
/// The refresh token of a browser login, read from MSAL's token cache file for a logout to revoke.
/// The file is MSAL's cross-platform cache schema (JSON, a "RefreshToken" section of entries with
/// client_id, home_account_id and secret); it is read as JSON here so a logout never loads MSAL.
/// </summary>
public static class MsalCacheRefreshToken
{
    /// <summary>The refresh token of <paramref name="clientId"/> for <paramref name="accountId"/> (any account when null); null when there is none or the cache cannot be read.</summary>
    public static string? Find(SecureFileStore store, string cachePath, string clientId, string? accountId)
    {
        if (!File.Exists(cachePath)) return null;
        try
        {
            using var document = JsonDocument.Parse(SecretFileReader.ReadBytes(store, cachePath, SecretFileKind.Opaque));
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("RefreshToken", out var section)
                || section.ValueKind != JsonValueKind.Object) return null;
            foreach (var entry in section.EnumerateObject())
            {
                var value = entry.Value;
                if (value.ValueKind != JsonValueKind.Object) continue;
                if (Text(value, "client_id") != clientId) continue;
                if (accountId != null && Text(value, "home_account_id") != accountId) continue;
                if (Text(value, "secret") is { Length: > 0 } secret) return secret;
            }
            return null;
        }
        catch (Exception e) when (e is JsonException || e is Errors.NaraAuthException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
