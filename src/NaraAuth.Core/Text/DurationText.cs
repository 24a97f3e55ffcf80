using System;
using System.Globalization;

namespace NaraAuth.Core.Text;

/// <summary>Durations as people read them in messages and countdowns.</summary>
public static class DurationText
{
    /// <summary>"90 s", "10 min", "5 h", "3 days".</summary>
    public static string Of(TimeSpan span)
    {
        if (span.TotalSeconds < 120) return span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
        if (span.TotalMinutes < 120) return span.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min";
        if (span.TotalHours < 48) return span.TotalHours.ToString("0", CultureInfo.InvariantCulture) + " h";
        return span.TotalDays.ToString("0", CultureInfo.InvariantCulture) + " days";
    }

    /// <summary>"9:59" for a countdown.</summary>
    public static string Clock(TimeSpan left)
    {
        var seconds = (int)Math.Max(0, Math.Ceiling(left.TotalSeconds));
        return $"{seconds / 60}:{seconds % 60:00}";
    }
}
