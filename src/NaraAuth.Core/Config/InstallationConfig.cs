using System;
using System.IO;
using System.Text.Json;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Config;

/// <summary>config.json in the Edge Connector installation directory (protocol.md 1.4).</summary>
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
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new JsonException("The root is not an object.");
            config.AuthTokenPath = ReadString(document.RootElement, "authTokenPath");
            config.PlatformUrl = ReadString(document.RootElement, "platformUrl");
        }
        catch (JsonException e)
        {
            throw new NaraAuthException("ConfigFileNotJson", NaraErrorCategory.InvalidData,
                $"The configuration file '{path}' is not valid JSON: {e.Message}",
                "Fix or remove config.json in the installation directory.", path, e);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("ConfigFileUnreadable", NaraErrorCategory.ReadError,
                $"The configuration file '{path}' could not be read: {e.Message}", null, path, e);
        }
        return config;
    }

    private static string? ReadString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new JsonException($"'{name}' must be a string.");
        var text = value.GetString();
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }
}
