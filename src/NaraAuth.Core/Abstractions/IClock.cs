using System;

namespace NaraAuth.Core.Abstractions;

/// <summary>Time seam so expiry and polling logic can be tested without waiting.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}

