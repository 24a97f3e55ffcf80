using System;
using System.Globalization;

namespace NaraAuth.Core.Text;

/// <summary>
/// Times as people read them, in one form everywhere (messages, errors, views, the example
/// scripts): local time with its offset, "2026-12-01 14:14:00 +09:00", so a past UTC time never
/// reads as a future local one. Files and the wire keep the protocol's form (Iso8601).
/// </summary>
public static class TimeText
{
    /// <summary>The .NET format string of the one form, for views and scripts that format themselves.</summary>
    public const string Format = "yyyy-MM-dd HH:mm:ss zzz";

    public static string Of(DateTimeOffset time) => time.ToLocalTime().ToString(Format, CultureInfo.InvariantCulture);

    public static string Of(DateTimeOffset? time) => time is { } t ? Of(t) : "(unknown)";
}
