using System;

namespace NaraAuth.Core.Abstractions;

/// <summary>Time seam so expiry and polling logic can be tested without waiting.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}

public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}
