using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace NaraAuth.Core.Json;

/// <summary>A JSON object as an ordered list of members (key order is kept, as the server sent it).</summary>
public sealed class PlainJsonObject : List<KeyValuePair<string, object?>>
{
    /// <summary>The value of the first member with this exact name.</summary>
    public bool TryGet(string name, out object? value)
    {
        foreach (var member in this)
        {
            if (!string.Equals(member.Key, name, System.StringComparison.Ordinal)) continue;
            value = member.Value;
            return true;
        }
        value = null;
        return false;
    }
}
