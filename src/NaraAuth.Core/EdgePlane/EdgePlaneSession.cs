using System;
using System.IO;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Json;

namespace NaraAuth.Core.EdgePlane;

/// <summary>
/// The EdgePlane session of protocol.md 2.1 step 5, as stored in ~/.edgeplane/session.json
/// (the file the edgeplane CLI itself reads). <see cref="Token"/> is the secret.
/// </summary>
public sealed class EdgePlaneSession
{
    public EdgePlaneSession(string token, string? subject, string? email, DateTimeOffset? expiresAt, string baseUrl, long? sessionId)
    {
        Token = token;
        Subject = subject;
        Email = email;
        ExpiresAt = expiresAt;
        BaseUrl = baseUrl;
        SessionId = sessionId;
    }

    /// <summary>The mcs_ session token. Never log or format this.</summary>
    public string Token { get; }
    public string? Subject { get; }
    public string? Email { get; }
    public DateTimeOffset? ExpiresAt { get; }
    /// <summary>https://host[:port][/path] without a trailing slash.</summary>
    public string BaseUrl { get; }
    public long? SessionId { get; }

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } e && e <= now;

    /// <summary>~/.edgeplane/session.json (Windows: %USERPROFILE%\.edgeplane\session.json).</summary>
    public static string DefaultPath(IEnvironment environment) =>
        Path.Combine(environment.HomeDirectory, ".edgeplane", "session.json");

    /// <summary>Exactly the fields of protocol.md 2.1 step 5, in that order.</summary>
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("token", Token);
            WriteNullable(writer, "subject", Subject);
            WriteNullable(writer, "email", Email);
            WriteNullable(writer, "expires_at", ExpiresAt is { } e ? Iso8601.Format(e) : null);
            writer.WriteString("base_url", BaseUrl);
            if (SessionId is { } id) writer.WriteNumber("session_id", id);
            else writer.WriteNull("session_id");
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public void Write(SecureFileStore store, string path) => store.WriteAllBytes(path, Serialize());

    /// <summary>Reads a session file written by NaraAuth or by the edgeplane CLI.</summary>
    public static EdgePlaneSession Read(SecureFileStore store, string path, out string? permissionWarning)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                throw new NaraAuthException("EdgePlaneSessionNotFound", NaraErrorCategory.ObjectNotFound,
                    $"There is no EdgePlane session at '{path}'.",
                    "Log in with Invoke-OidcCliLogin.", path);
            }
            bytes = store.ReadAllBytes(path, out permissionWarning);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("EdgePlaneSessionUnreadable", NaraErrorCategory.ReadError,
                $"Could not read the EdgePlane session '{path}': {e.Message}",
                "Check the file's owner and permissions, or log in again with Invoke-OidcCliLogin.", path, e);
        }
        return Parse(bytes, path);
    }

    public static EdgePlaneSession Parse(byte[] bytes, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            // Never echo the content: it may be a token.
            throw new NaraAuthException("EdgePlaneSessionNotJson", NaraErrorCategory.InvalidData,
                $"The EdgePlane session '{path}' is not valid JSON.", "Log in again with Invoke-OidcCliLogin.", path);
        }
        using (document)
        {
            var root = document.RootElement;
            var token = root.ValueKind == JsonValueKind.Object ? JsonText.StringOf(root, "token") : null;
            if (string.IsNullOrEmpty(token))
            {
                throw new NaraAuthException("EdgePlaneSessionMissingToken", NaraErrorCategory.InvalidData,
                    $"The EdgePlane session '{path}' has no 'token' field.", "Log in again with Invoke-OidcCliLogin.", path);
            }
            long? sessionId = root.TryGetProperty("session_id", out var sid) && sid.ValueKind == JsonValueKind.Number && sid.TryGetInt64(out var n) ? n : null;
            return new EdgePlaneSession(token!, JsonText.StringOf(root, "subject"), JsonText.StringOf(root, "email"), Iso8601.TryParse(JsonText.StringOf(root, "expires_at")),
                JsonText.StringOf(root, "base_url") ?? string.Empty, sessionId);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value == null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }
}
