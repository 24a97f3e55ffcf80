using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Tokens;

/// <summary>The token file: {"token": "&lt;JWT&gt;", "savedAt": "&lt;ISO time&gt;"} (protocol.md 1.4).</summary>
public sealed class TokenFile
{
    public TokenFile(string token, DateTimeOffset? savedAt)
    {
        Token = token;
        SavedAt = savedAt;
    }

    public string Token { get; }
    public DateTimeOffset? SavedAt { get; }

    /// <summary>Reads and checks the file's shape; the JWT itself is checked by the caller.</summary>
    public static TokenFile Read(SecureFileStore store, string path, out string? permissionWarning)
    {
        permissionWarning = null;
        if (!File.Exists(path))
        {
            throw new NaraAuthException("TokenFileNotFound", NaraErrorCategory.ObjectNotFound,
                $"No token file was found at '{path}'.",
                "Run Connect-EdgeConnector to log in, or point to the file with -Path, -InstallPath, AUTH_TOKEN_PATH or EDGE_CONNECTOR_HOME.",
                path);
        }
        byte[] bytes;
        try
        {
            bytes = store.ReadAllBytes(path, out permissionWarning);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("TokenFileUnreadable", NaraErrorCategory.ReadError,
                $"The token file '{path}' could not be read: {e.Message}",
                "Check that the file belongs to you and is readable by you.", path, e);
        }
        return Parse(bytes, path);
    }

    public static TokenFile Parse(byte[] bytes, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            // The parser's message can quote the content, which may be a secret: never pass it on.
            throw new NaraAuthException("TokenFileNotJson", NaraErrorCategory.InvalidData,
                $"The token file '{path}' is not valid JSON.",
                "Log in again with Connect-EdgeConnector to rewrite it.", path);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("token", out var tokenElement)
                || tokenElement.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(tokenElement.GetString()))
            {
                throw new NaraAuthException("TokenFileMissingToken", NaraErrorCategory.InvalidData,
                    $"The token file '{path}' has no 'token' field.",
                    "Log in again with Connect-EdgeConnector to rewrite it.", path);
            }
            DateTimeOffset? savedAt = null;
            if (root.TryGetProperty("savedAt", out var savedElement) && savedElement.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(savedElement.GetString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                savedAt = parsed;
            }
            return new TokenFile(tokenElement.GetString()!, savedAt);
        }
    }

    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("token", Token);
            writer.WriteString("savedAt", Iso8601.Format(SavedAt ?? DateTimeOffset.UtcNow));
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public void Write(SecureFileStore store, string path) => store.WriteAllBytes(path, Serialize());
}

/// <summary>The protocol's timestamp form: 2025-01-15T10:30:00.000Z.</summary>
public static class Iso8601
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;
    }
}
