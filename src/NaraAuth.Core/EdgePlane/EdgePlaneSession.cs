using System;
using System.IO;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Json;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.EdgePlane;

/// <summary>
/// The EdgePlane session of docs/protocol.md 2.1 step 5, as stored in ~/.edgeplane/session.json
/// (the file the edgeplane CLI itself reads). <see cref="Token"/> is the secret.
/// </summary>
public sealed class EdgePlaneSession
{
    public EdgePlaneSession(string token, string? subject, string? email, DateTimeOffset? expiresAt, string baseUrl, long? sessionId)
    {
        Token = token;
        // Known from now on, so no server text quoted later in this session can carry it.
        Http.KnownSecrets.Remember(token);
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

    /// <summary>
    /// Get-AuthToken -EdgePlane's rule: an expired session fails (EdgePlaneSessionExpired) unless
    /// <paramref name="allowExpired"/>; otherwise returns the warning about its expiry, if any.
    /// </summary>
    public string? CheckExpiry(string path, DateTimeOffset now, TimeSpan warningWindow, bool allowExpired)
    {
        const string again = "Log in again with Invoke-OidcCliLogin.";
        if (IsExpired(now) && !allowExpired)
        {
            throw new NaraAuthException("EdgePlaneSessionExpired", NaraErrorCategory.AuthenticationError,
                $"The EdgePlane session in '{path}' expired at {TimeText.Of(ExpiresAt)}.", again, path);
        }
        return ExpiryNotice.For($"The EdgePlane session in '{path}'", ExpiresAt, now, warningWindow, again);
    }

    /// <summary>~/.edgeplane/session.json (Windows: %USERPROFILE%\.edgeplane\session.json).</summary>
    public static string DefaultPath(IEnvironment environment) =>
        Path.Combine(environment.HomeDirectory, ".edgeplane", "session.json");

    /// <summary>Exactly the fields of docs/protocol.md 2.1 step 5, in that order.</summary>
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

    /// <summary>Replaces the file atomically; an existing file that is not an EdgePlane session is kept.</summary>
    public void Write(SecureFileStore store, string path) =>
        store.WriteAllBytes(path, Serialize(), SecretFileKind.EdgePlaneSession, Recognizes, force: false);

    /// <summary>Reads a session file written by NaraAuth or by the edgeplane CLI.</summary>
    public static EdgePlaneSession Read(SecureFileStore store, string path) =>
        SecretFileReader.Read(store, path, SecretFileKind.EdgePlaneSession, Parse);

    private static bool Recognizes(SecretFileContent content) => SecretFileReader.Accepts(content, Parse);

    private static EdgePlaneSession Parse(SecretFileContent content)
    {
        using var document = SecretFileReader.ParseObject(content, SecretFileKind.EdgePlaneSession);
        var root = document.RootElement;
        var token = JsonText.StringOf(root, "token");
        if (string.IsNullOrEmpty(token))
            throw SecretFileKind.EdgePlaneSession.MissingField(content.Path, "has no 'token' field");
        long? sessionId = root.TryGetProperty("session_id", out var sid) && sid.ValueKind == JsonValueKind.Number && sid.TryGetInt64(out var n) ? n : null;
        return new EdgePlaneSession(token!, JsonText.StringOf(root, "subject"), JsonText.StringOf(root, "email"), Iso8601.TryParse(JsonText.StringOf(root, "expires_at")),
            JsonText.StringOf(root, "base_url") ?? string.Empty, sessionId);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value == null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }
}
