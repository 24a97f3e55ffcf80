using System;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace NaraAuth.Core.Text;

/// <summary>The protocol's timestamp form: 2025-01-15T10:30:00.000Z.</summary>
public static class Iso8601
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;
    }
}
