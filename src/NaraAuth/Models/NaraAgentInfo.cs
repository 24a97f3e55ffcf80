namespace NaraAuth.Models;

/// <summary>A functional agent the credential may run (GET /api/agent/run).</summary>
public sealed class NaraAgentInfo
{
    public string Name { get; internal set; } = string.Empty;
    public string? Description { get; internal set; }

    public override string ToString() => Name;
}
