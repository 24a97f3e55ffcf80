using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using NaraAuth.Core.Json;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Converts between PowerShell values and Core's plain JSON values: server answers become
/// PSCustomObjects (as ConvertFrom-Json makes them), hashtables and PSCustomObjects become bodies.
/// </summary>
internal static class JsonBridge
{
    public static object? ToPowerShell(object? plain)
    {
        switch (plain)
        {
            case PlainJsonObject members:
                var result = new PSObject();
                foreach (var member in members) result.Properties.Add(new PSNoteProperty(member.Key, ToPowerShell(member.Value)));
                return result;
            case List<object?> items:
                var array = new object?[items.Count];
                for (var i = 0; i < items.Count; i++) array[i] = ToPowerShell(items[i]);
                return array;
            default:
                return plain;
        }
    }

    /// <summary>Hashtables, PSCustomObjects, arrays and scalars as plain values for <see cref="PlainJson.Serialize"/>.</summary>
    public static object? FromPowerShell(object? value, int depth = 0)
    {
        if (depth > PlainJson.MaxDepth) return value?.ToString();
        switch (value)
        {
            case null:
                return null;
            case PSObject wrapped when wrapped.BaseObject is PSCustomObject:
                var members = new PlainJsonObject();
                foreach (var property in wrapped.Properties)
                    if (property.IsGettable) members.Add(new KeyValuePair<string, object?>(property.Name, FromPowerShell(property.Value, depth + 1)));
                return members;
            case PSObject wrapped:
                return FromPowerShell(wrapped.BaseObject, depth);
            case string:
                return value;
            case IDictionary dictionary:
                var entries = new PlainJsonObject();
                foreach (DictionaryEntry entry in dictionary)
                    entries.Add(new KeyValuePair<string, object?>(entry.Key?.ToString() ?? string.Empty, FromPowerShell(entry.Value, depth + 1)));
                return entries;
            case IEnumerable sequence:
                var list = new List<object?>();
                foreach (var item in sequence) list.Add(FromPowerShell(item, depth + 1));
                return list;
            default:
                return value;
        }
    }
}
