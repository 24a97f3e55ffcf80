using System;

namespace NaraAuth.Core.Oidc;

/// <summary>A wait or margin as people say it: "90 s", "10 min".</summary>
public static class DurationText
{
    public static string Of(TimeSpan span) =>
        span.TotalSeconds < 120 ? $"{span.TotalSeconds:0} s" : $"{span.TotalMinutes:0.#} min";

    /// <summary>"9:59" for a countdown.</summary>
    public static string Clock(TimeSpan left)
    {
        var seconds = (int)Math.Max(0, Math.Ceiling(left.TotalSeconds));
        return $"{seconds / 60}:{seconds % 60:00}";
    }
}
