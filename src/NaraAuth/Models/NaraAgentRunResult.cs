using System;

namespace NaraAuth.Models;

/// <summary>
/// One functional agent run (POST /api/agent/run). The platform's answer is JSON whose shape
/// belongs to the agent; the run's id and status are lifted out when the platform sends them,
/// and <see cref="Result"/> holds the agent's own result.
/// </summary>
public sealed class NaraAgentRunResult
{
    public string AgentName { get; internal set; } = string.Empty;
    /// <summary>The platform's id for the run (runId), when it sends one.</summary>
    public string? RunId { get; internal set; }
    /// <summary>The run's status as the platform words it (e.g. completed), when it sends one.</summary>
    public string? Status { get; internal set; }
    /// <summary>The agent's result: the answer's "result" field, else the whole answer.</summary>
    public object? Result { get; internal set; }
    /// <summary>The platform's whole answer, as ConvertFrom-Json would give it.</summary>
    public object? Response { get; internal set; }
    /// <summary>When the answer arrived.</summary>
    public DateTimeOffset CompletedOn { get; internal set; }
    /// <summary>The platform the run was started on.</summary>
    public string BaseUrl { get; internal set; } = string.Empty;

    public override string ToString() =>
        AgentName + (RunId != null ? " run " + RunId : " run") + (Status != null ? ": " + Status : string.Empty);
}
