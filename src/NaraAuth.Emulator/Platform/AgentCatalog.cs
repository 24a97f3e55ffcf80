using System.Text.Json.Nodes;

namespace NaraAuth.Emulator.Platform;

public sealed record FunctionalAgent(string Name, string Description);

/// <summary>A recorded agent run: which agent, with what, and who asked (token name or user).</summary>
public sealed record AgentRun(string RunId, string AgentName, JsonObject Args, string Caller);

/// <summary>The functional agents the emulated organization can run (docs/protocol.md 1.7), and the runs so far.</summary>
public sealed class AgentCatalog
{
    private readonly object _gate = new();
    private readonly List<AgentRun> _runs = new();

    public List<FunctionalAgent> Agents { get; } = new()
    {
        new FunctionalAgent("summarizeTicket", "Summarizes a helpdesk ticket by its number."),
        new FunctionalAgent("classifyEmail", "Sorts an incoming e-mail into a queue."),
    };

    public IReadOnlyList<AgentRun> Runs
    {
        get { lock (_gate) return _runs.ToList(); }
    }

    public AgentRun Record(string agentName, JsonObject args, string caller)
    {
        lock (_gate)
        {
            var run = new AgentRun("run_" + (_runs.Count + 1), agentName, args, caller);
            _runs.Add(run);
            return run;
        }
    }

    public void Clear()
    {
        lock (_gate) _runs.Clear();
    }
}
