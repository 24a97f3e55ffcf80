using System.Globalization;
using System.Text.Json.Nodes;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.Emulator.Platform;

namespace NaraAuth.Emulator.Endpoints;

/// <summary>
/// Server tokens (docs/protocol.md 1.6) and functional agents (1.7). Managing tokens needs an admin's
/// JWT; the agent endpoints accept a server token or any valid user JWT.
/// </summary>
public static class ServerTokenEndpoints
{
    public static void Map(WebApplication app, EmulatorState state)
    {
        app.MapGet("/api/tokens", (HttpContext context) =>
        {
            var org = AdminOrganization(context, state, out var failure);
            if (org == null) return failure!;
            return Results.Json(state.ServerTokens.List(org).Select(t => new
            {
                id = t.Id,
                name = t.Name,
                createdAt = Iso(t.CreatedAt),
                lastUsedAt = t.LastUsedAt is { } used ? Iso(used) : null,
            }));
        });

        app.MapPost("/api/tokens", async (HttpContext context) =>
        {
            var org = AdminOrganization(context, state, out var failure);
            if (org == null) return failure!;
            var body = await ReadObject(context);
            var name = body?["name"] is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : null;
            if (string.IsNullOrEmpty(name))
                return Results.Json(new { error = "invalid_request", error_description = "The token needs a non-empty 'name'." }, statusCode: 400);
            var token = state.ServerTokens.Create(org, name, state.Time.GetUtcNow());
            return Results.Json(new { id = token.Id, name = token.Name, token = token.Secret, createdAt = Iso(token.CreatedAt) }, statusCode: 201);
        });

        app.MapDelete("/api/tokens/{id}", (HttpContext context, string id) =>
        {
            var org = AdminOrganization(context, state, out var failure);
            if (org == null) return failure!;
            return state.ServerTokens.Revoke(org, id)
                ? Results.NoContent()
                : Results.Json(new { error = "not_found", error_description = $"No server token with id '{id}'." }, statusCode: 404);
        });

        app.MapGet("/api/agent/run", (HttpContext context) =>
        {
            if (Caller(context, state, out var failure) == null) return failure!;
            return Results.Json(state.Agents.Agents.Select(a => new { name = a.Name, description = a.Description }));
        });

        app.MapPost("/api/agent/run", async (HttpContext context) =>
        {
            var caller = Caller(context, state, out var failure);
            if (caller == null) return failure!;
            var body = await ReadObject(context);
            var agentName = body?["agentName"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            if (string.IsNullOrEmpty(agentName))
                return Results.Json(new { error = "invalid_request", error_description = "The body needs 'agentName'." }, statusCode: 400);
            var agent = state.Agents.Agents.FirstOrDefault(a => a.Name == agentName);
            if (agent == null)
                return Results.Json(new { detail = $"No functional agent named '{agentName}'." }, statusCode: 404);
            var args = body!["args"] as JsonObject ?? new JsonObject();
            var run = state.Agents.Record(agent.Name, (JsonObject)args.DeepClone(), caller);
            return Results.Json(new JsonObject
            {
                ["runId"] = run.RunId,
                ["agentName"] = agent.Name,
                ["status"] = "completed",
                ["result"] = new JsonObject
                {
                    ["summary"] = $"{agent.Name} ran with {args.Count} argument(s).",
                    ["args"] = args.DeepClone(),
                },
            });
        });
    }

    /// <summary>The admin's organization, or null with 401 (no/bad JWT) or 403 (not an admin, or a server token).</summary>
    private static string? AdminOrganization(HttpContext context, EmulatorState state, out IResult? failure)
    {
        failure = null;
        if (BearerAuth.BearerOf(context) is { } bearer && bearer.StartsWith(ServerTokenStore.SecretPrefix, StringComparison.Ordinal))
        {
            failure = Results.Json(new { error = "forbidden", error_description = "Server tokens cannot manage server tokens; use an administrator's login." }, statusCode: 403);
            return null;
        }
        var claims = BearerAuth.UserClaims(context, state, out failure);
        if (claims == null) return null;
        if (claims["role"]?.GetValue<string>() != "admin")
        {
            failure = Results.Json(new { error = "forbidden", error_description = "Managing server tokens requires the admin role." }, statusCode: 403);
            return null;
        }
        return claims["org"]?.GetValue<string>() ?? "org_1";
    }

    /// <summary>Who is calling: "token:<name>" for a live server token, "user:<sub>" for a valid JWT; else null with 401.</summary>
    private static string? Caller(HttpContext context, EmulatorState state, out IResult? failure)
    {
        failure = null;
        var bearer = BearerAuth.BearerOf(context);
        if (bearer != null && bearer.StartsWith(ServerTokenStore.SecretPrefix, StringComparison.Ordinal))
        {
            var token = state.ServerTokens.Use(bearer, state.Time.GetUtcNow());
            if (token != null) return "token:" + token.Name;
            failure = Results.Json(new { error = "invalid_token", error_description = "The server token is revoked or unknown." }, statusCode: 401);
            return null;
        }
        var claims = BearerAuth.UserClaims(context, state, out failure);
        return claims == null ? null : "user:" + claims["sub"]?.GetValue<string>();
    }

    private static async Task<JsonObject?> ReadObject(HttpContext context)
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<JsonNode>(context.Request.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
