using System;

namespace NaraAuth.Core.Http;

/// <summary>
/// Bounded backoff for idempotent calls (the defaults suit people and pipelines alike). How long
/// each attempt may take is not set here but by <see cref="RequestTimeouts"/>.
/// </summary>
public sealed class RetryOptions
{
    public int MaxRetries { get; set; } = 3;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>The longest single wait, including one asked for by Retry-After.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// The most all waits of one call may add up to. A Retry-After beyond what is left ends the
    /// call at once, its error quoting the server's time, instead of waiting in slices.
    /// </summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(90);

    public static RetryOptions Default => new();
}
