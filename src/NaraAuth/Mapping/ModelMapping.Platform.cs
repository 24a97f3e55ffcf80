using System;
using NaraAuth.Core.Json;
using NaraAuth.Core.Platform;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    public static ServerTokenInfo ToInfo(ServerTokenRecord token, string baseUrl) => new()
    {
        Id = token.Id,
        Name = token.Name,
        CreatedAt = token.CreatedAt?.ToUniversalTime(),
        LastUsedAt = token.LastUsedAt?.ToUniversalTime(),
        BaseUrl = baseUrl,
    };

    public static NewServerTokenResultBase ToResult(CreatedServerToken created, string baseUrl, bool asPlainText)
    {
        NewServerTokenResultBase result = asPlainText
            ? new NewServerTokenPlainTextResult { Token = created.Secret }
            : new NewServerTokenResult { Token = SecretText.ToSecureString(created.Secret) };
        result.Id = created.Id;
        result.Name = created.Name;
        result.CreatedAt = created.CreatedAt?.ToUniversalTime();
        result.BaseUrl = baseUrl;
        return result;
    }

    public static NaraAgentInfo ToInfo(AgentRecord agent) => new() { Name = agent.Name, Description = agent.Description };

    /// <summary>A run as the platform answered it: runId, status and result when it sent an object with them, else the answer itself.</summary>
    public static NaraAgentRunResult ToRunResult(string agentName, object? answer, string baseUrl)
    {
        object? runId = null, status = null, result = answer;
        if (answer is PlainJsonObject fields)
        {
            fields.TryGet("runId", out runId);
            fields.TryGet("status", out status);
            if (!fields.TryGet("result", out result)) result = answer;
        }
        return new NaraAgentRunResult
        {
            AgentName = agentName,
            RunId = runId as string,
            Status = status as string,
            Result = JsonBridge.ToPowerShell(result),
            Response = JsonBridge.ToPowerShell(answer),
            CompletedOn = DateTimeOffset.Now,
            BaseUrl = baseUrl.TrimEnd('/'),
        };
    }
}
