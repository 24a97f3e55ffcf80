using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Json;

/// <summary>
/// JSON to and from plain .NET values (PlainJsonObject, List of object, string, long, double,
/// bool, null), so the cmdlet layer can build PowerShell objects without referencing
/// System.Text.Json, which lives in NaraAuth's own load context.
/// </summary>
public static class PlainJson
{
    public const int MaxDepth = 64;

    /// <summary>Parses a JSON text; null for an empty body.</summary>
    public static object? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        using var document = JsonDocument.Parse(json!, new JsonDocumentOptions { MaxDepth = MaxDepth });
        return ToPlain(document.RootElement);
    }

    public static object? ToPlain(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new PlainJsonObject();
                foreach (var property in element.EnumerateObject())
                    obj.Add(new KeyValuePair<string, object?>(property.Name, ToPlain(property.Value)));
                return obj;
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (var item in element.EnumerateArray()) list.Add(ToPlain(item));
                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var whole)) return whole;
                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>
    /// Serializes dictionaries, PlainJsonObjects, sequences, strings, numbers, booleans, dates,
    /// GUIDs and enums (as their names). Anything else is written as its ToString().
    /// </summary>
    public static string Serialize(object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, value, 0);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new NaraAuthException("BodyTooDeep", NaraErrorCategory.InvalidArgument,
                $"The body is nested more than {MaxDepth} levels deep (is it referring to itself?).",
                "Pass a simpler hashtable or object as -Body.");
        }
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string text:
                writer.WriteStringValue(text);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            case DateTime time:
                writer.WriteStringValue(time.Kind == DateTimeKind.Unspecified
                    ? time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
                    : time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset offset:
                writer.WriteStringValue(offset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                return;
            case Guid guid:
                writer.WriteStringValue(guid.ToString());
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong big:
                writer.WriteNumberValue(big);
                return;
            case float or double:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d)) writer.WriteNullValue();
                else writer.WriteNumberValue(d);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case PlainJsonObject members:
                writer.WriteStartObject();
                foreach (var member in members)
                {
                    writer.WritePropertyName(member.Key);
                    Write(writer, member.Value, depth + 1);
                }
                writer.WriteEndObject();
                return;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    Write(writer, entry.Value, depth + 1);
                }
                writer.WriteEndObject();
                return;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence) Write(writer, item, depth + 1);
                writer.WriteEndArray();
                return;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
        }
    }
}
