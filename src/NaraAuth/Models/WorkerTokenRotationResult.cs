using System;

namespace NaraAuth.Models;

/// <summary>
/// Reset-WorkerToken's result: the new token and the one it replaced, for a staged switch of the
/// clients. Both are SecureStrings, or strings with -AsPlainText; the format view shows neither.
/// </summary>
public sealed class WorkerTokenRotationResult
{
    public string ConfigPath { get; internal set; } = string.Empty;
    /// <summary>The new token (SecureString, or String with -AsPlainText).</summary>
    public object Token { get; internal set; } = null!;
    /// <summary>The token the file held before; null when it held none.</summary>
    public object? PreviousToken { get; internal set; }
    public DateTime RotatedAt { get; internal set; }
    /// <summary>True when WORKER_AUTH_TOKEN is set: the worker keeps using it instead of the file.</summary>
    public bool EnvironmentOverrides { get; internal set; }

    public override string ToString() => $"Worker token in {ConfigPath} rotated at {RotatedAt:u}";
}
