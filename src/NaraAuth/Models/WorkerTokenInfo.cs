using System.Security;

namespace NaraAuth.Models;

/// <summary>The NodeTool worker token as Get-AuthToken -Worker reports it, but the token, which the twins below carry.</summary>
public abstract class WorkerTokenInfoBase
{
    public WorkerTokenSource Source { get; internal set; }
    /// <summary>The config file the worker reads (NODETOOL_CONFIG_PATH or the per-OS default).</summary>
    public string ConfigPath { get; internal set; } = string.Empty;

    public override string ToString() => $"NodeTool worker token from {Source}";
}

/// <summary>Get-AuthToken -Worker: the token as a SecureString; its format view never shows it.</summary>
public sealed class WorkerTokenInfo : WorkerTokenInfoBase
{
    public SecureString Token { get; internal set; } = null!;
}

/// <summary>Get-AuthToken -Worker -AsPlainText: the same, with the token as a string.</summary>
public sealed class WorkerTokenPlainTextInfo : WorkerTokenInfoBase
{
    public string Token { get; internal set; } = string.Empty;
}
