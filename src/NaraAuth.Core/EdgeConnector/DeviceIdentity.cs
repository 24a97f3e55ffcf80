using System;
using System.IO;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// The stable device id of protocol.md 1.1: created once per user and machine, kept in the
/// user's profile (ConfigDirectory/naraauth/device.json, owner-only), and reused on every later
/// login so the platform can recognise this machine in its device list.
/// </summary>
public static class DeviceIdentity
{
    public const string FileName = "device.json";

    public static string PathFor(IEnvironment environment) =>
        Path.Combine(environment.ConfigDirectory, "naraauth", FileName);

    /// <summary>Reads the id, creating and saving it the first time.</summary>
    public static string GetOrCreate(IEnvironment environment, SecureFileStore store)
    {
        var path = PathFor(environment);
        if (TryRead(path) is { } existing) return existing;
        var id = "dev_" + Guid.NewGuid().ToString("N");
        // An id is not a secret, but it identifies the user's machine to the platform; keep it
        // owner-only like everything else NaraAuth writes into the profile.
        store.WriteAllBytes(path, Encoding.UTF8.GetBytes("{\"deviceId\": \"" + id + "\"}"));
        return id;
    }

    internal static string? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("deviceId", out var id)
                && id.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(id.GetString()))
                return id.GetString();
        }
        catch (Exception e) when (e is JsonException || e is IOException || e is UnauthorizedAccessException)
        {
            // A damaged file is replaced with a new id: the only cost is a new device entry.
        }
        return null;
    }
}
