using System.Text.Json;

namespace NaraAuth.Core.Json;

/// <summary>Reads the protocol's optional string fields: a missing, null or non-string field is null.</summary>
public static class JsonText
{
    public static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
