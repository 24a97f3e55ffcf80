using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Tokens;

/// <summary>
/// The token file: {"token": "&lt;JWT&gt;", "savedAt": "&lt;ISO time&gt;", "platformUrl": "&lt;origin&gt;"}
/// (docs/protocol.md 1.4). platformUrl is the origin the token was saved for; the stored login is
/// sent to no other (<see cref="StoredLoginDestination"/>). Files written before it existed lack it.
/// </summary>
public sealed class TokenFile
{
    public TokenFile(string token, DateTimeOffset? savedAt, string? platformUrl = null)
    {
        Token = token;
        SavedAt = savedAt;
        PlatformUrl = platformUrl;
        // Known from now on, so no server text quoted later in this session can carry it.
        Http.KnownSecrets.Remember(token);
    }

    public string Token { get; }
    public DateTimeOffset? SavedAt { get; }
    /// <summary>The platform origin (scheme://host[:port]) the token was saved for; null in a file from before the field.</summary>
    public string? PlatformUrl { get; }

    /// <summary>Reads and checks the file's shape; the JWT itself is checked by the caller.</summary>
    public static TokenFile Read(SecureFileStore store, string path) =>
        SecretFileReader.Read(store, path, SecretFileKind.TokenFile, Parse);

    public static TokenFile Parse(byte[] bytes, string path) =>
        Parse(SecretFileContent.FromBytes(path, bytes));

    /// <summary>True when the content is a token file, so replacing it loses nothing but an older token.</summary>
    public static bool Recognizes(SecretFileContent content) => SecretFileReader.Accepts(content, Parse);

    private static TokenFile Parse(SecretFileContent content)
    {
        using var document = SecretFileReader.ParseObject(content, SecretFileKind.TokenFile);
        var root = document.RootElement;
        if (!root.TryGetProperty("token", out var tokenElement)
            || tokenElement.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(tokenElement.GetString()))
        {
            throw SecretFileKind.TokenFile.MissingField(content.Path, "has no 'token' field");
        }
        DateTimeOffset? savedAt = null;
        if (root.TryGetProperty("savedAt", out var savedElement) && savedElement.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(savedElement.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            savedAt = parsed;
        }
        string? platformUrl = null;
        if (root.TryGetProperty("platformUrl", out var platformElement) && platformElement.ValueKind != JsonValueKind.Null)
        {
            if (platformElement.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(platformElement.GetString(), UriKind.Absolute, out var platform)
                || (platform.Scheme != Uri.UriSchemeHttps && platform.Scheme != Uri.UriSchemeHttp))
                throw SecretFileKind.TokenFile.MissingField(content.Path, "has a 'platformUrl' that is not an http(s) address");
            platformUrl = Http.SafeUri.Origin(platform);
        }
        return new TokenFile(tokenElement.GetString()!, savedAt, platformUrl);
    }

    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("token", Token);
            writer.WriteString("savedAt", Iso8601.Format(SavedAt ?? DateTimeOffset.UtcNow));
            if (PlatformUrl != null) writer.WriteString("platformUrl", PlatformUrl);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Replaces the file atomically; an existing file that is not a token file is kept unless <paramref name="force"/>.</summary>
    /// <param name="owner">The runtime account the file is for; null for this user.</param>
    public void Write(SecureFileStore store, string path, bool force = false, RuntimeAccount? owner = null) =>
        store.WriteAllBytes(path, Serialize(), SecretFileKind.TokenFile, Recognizes, force, owner);
}

