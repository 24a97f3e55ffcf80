using System;
using System.Security;
using NaraAuth.Core.Text;

namespace NaraAuth.Models;

/// <summary>
/// Reset-WorkerToken's result, for a staged switch of the clients: everything but the new token and
/// the one it replaced, which the twins below carry. The format view shows neither.
/// </summary>
public abstract class WorkerTokenRotationResultBase
{
    public string ConfigPath { get; internal set; } = string.Empty;
    public DateTimeOffset RotatedAt { get; internal set; }
    /// <summary>True when WORKER_AUTH_TOKEN is set: the worker keeps using it instead of the file.</summary>
    public bool EnvironmentOverrides { get; internal set; }

    public override string ToString() => $"Worker token in {ConfigPath} rotated at {TimeText.Of(RotatedAt)}";
}

/// <summary>Reset-WorkerToken: the tokens as SecureStrings.</summary>
public sealed class WorkerTokenRotationResult : WorkerTokenRotationResultBase
{
    /// <summary>The new token.</summary>
    public SecureString Token { get; internal set; } = null!;
    /// <summary>The token the file held before; null when it held none.</summary>
    public SecureString? PreviousToken { get; internal set; }
}

/// <summary>Reset-WorkerToken -AsPlainText: the same, with the tokens as strings.</summary>
public sealed class WorkerTokenRotationPlainTextResult : WorkerTokenRotationResultBase
{
    /// <summary>The new token.</summary>
    public string Token { get; internal set; } = string.Empty;
    /// <summary>The token the file held before; null when it held none.</summary>
    public string? PreviousToken { get; internal set; }
}
