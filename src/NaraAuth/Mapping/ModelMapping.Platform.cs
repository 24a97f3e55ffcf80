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
        CreatedAt = token.CreatedAt?.UtcDateTime,
        LastUsedAt = token.LastUsedAt?.UtcDateTime,
        BaseUrl = baseUrl,
    };

    public static NewServerTokenResult ToResult(CreatedServerToken created, string baseUrl) => new()
    {
        Id = created.Id,
        Name = created.Name,
        CreatedAt = created.CreatedAt?.UtcDateTime,
        BaseUrl = baseUrl,
        Token = SecretText.ToSecureString(created.Secret),
    };

    public static NewServerTokenPlainTextResult ToPlainTextResult(CreatedServerToken created, string baseUrl) => new()
    {
        Id = created.Id,
        Name = created.Name,
        CreatedAt = created.CreatedAt?.UtcDateTime,
        BaseUrl = baseUrl,
        Token = created.Secret,
    };

    public static NaraAgentInfo ToInfo(AgentRecord agent) => new() { Name = agent.Name, Description = agent.Description };
}
