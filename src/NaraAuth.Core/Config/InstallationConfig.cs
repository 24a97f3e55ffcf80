using System;
using System.IO;
using System.Text.Json;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.Config;

/// <summary>config.json in the Edge Connector installation directory (docs/protocol.md 1.4).</summary>
public sealed class InstallationConfig
{
    public const string FileName = "config.json";

    public string? AuthTokenPath { get; private set; }
    public string? PlatformUrl { get; private set; }
    /// <summary>The file it came from, or null when there was none.</summary>
    public string? SourcePath { get; private set; }

    public static InstallationConfig Load(string installationDirectory)
    {
        var path = Path.Combine(installationDirectory, FileName);
        var config = new InstallationConfig();
        if (!File.Exists(path)) return config;
        config.SourcePath = path;
        var kind = SecretFileKind.InstallationConfig;
        var content = SecretFileReader.Read(SecureFileStore.Default, path, kind);
        using var document = SecretFileReader.ParseObject(content, kind);
        config.AuthTokenPath = ReadString(document.RootElement, "authTokenPath", path);
        config.PlatformUrl = ReadString(document.RootElement, "platformUrl", path);
        return config;
    }

    private static string? ReadString(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw SecretFileKind.InstallationConfig.MissingField(path, $"has a '{name}' that is not a string");
        var text = value.GetString();
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }
}
