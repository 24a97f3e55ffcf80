using System.Security;

namespace NaraAuth.Models;

/// <summary>The NodeTool worker token as Get-AuthToken -Worker reports it; its format view never shows Token.</summary>
public sealed class WorkerTokenInfo
{
    public WorkerTokenSource Source { get; internal set; }
    /// <summary>The config file the worker reads (NODETOOL_CONFIG_PATH or the per-OS default).</summary>
    public string ConfigPath { get; internal set; } = string.Empty;
    public SecureString Token { get; internal set; } = null!;

    public override string ToString() => $"NodeTool worker token from {Source}";
}
