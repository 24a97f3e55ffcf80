
namespace NaraAuth.Core.Platform;

/// <summary>A runnable functional agent (docs/protocol.md 1.7).</summary>
public sealed class AgentRecord
{
    public AgentRecord(string name, string? description)
    {
        Name = name;
        Description = description;
    }

    public string Name { get; }
    public string? Description { get; }
}
