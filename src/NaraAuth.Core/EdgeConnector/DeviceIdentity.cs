using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// The stable device id of docs/protocol.md 1.1: created once per user and machine, kept in the
/// user's profile (owner-only), and reused on every later login so the platform can recognise
/// this machine in its device list. Ids are keyed by machine name inside the file, because a
/// profile can be shared by several machines (roaming profiles, NFS homes) and each machine must
/// keep its own id.
/// </summary>
public static class DeviceIdentity
{
    public const string FileName = "device.json";

    /// <summary>device.json in the per-user folder (see <see cref="UserFolder"/>).</summary>
    public static string PathFor(IEnvironment environment) => Path.Combine(UserFolder.Root(environment), FileName);

    /// <summary>Reads this machine's id, creating and saving it the first time.</summary>
    public static string GetOrCreate(IEnvironment environment, SecureFileStore store)
    {
        var path = PathFor(environment);
        var machine = environment.MachineName;
        var devices = TryRead(store, path);
        if (devices.TryGetValue(machine, out var existing)) return existing;
        var id = "dev_" + Guid.NewGuid().ToString("N");
        devices[machine] = id;
        // An id is not a secret, but it identifies the user's machine to the platform; keep it
        // owner-only like everything else NaraAuth writes into the profile.
        store.WriteAllBytes(path, Serialize(devices));
        return id;
    }

    internal static Dictionary<string, string> TryRead(SecureFileStore store, string path)
    {
        var devices = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path)) return devices;
        try
        {
            var content = SecretFileReader.Read(store, path, SecretFileKind.DeviceIdentity);
            using var document = SecretFileReader.ParseObject(content, SecretFileKind.DeviceIdentity);
            if (document.RootElement.TryGetProperty("devices", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in map.EnumerateObject())
                    if (entry.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(entry.Value.GetString()))
                        devices[entry.Name] = entry.Value.GetString()!;
            }
        }
        catch (NaraAuthException)
        {
            // A damaged file is replaced with new ids: the only cost is a new device entry.
        }
        return devices;
    }

    private static byte[] Serialize(Dictionary<string, string> devices)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("devices");
            foreach (var pair in devices) writer.WriteString(pair.Key, pair.Value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
