using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator.Endpoints;

/// <summary>
/// Test and demo controls under /_emulator (not part of the platform's contract): mint a token,
/// queue a fault, read request counts.
/// </summary>
public static class AdminEndpoints
{
    public sealed record MintRequest(string? Sub, string? Org, string? Role, int? TtlSeconds, string? Email);

    public static void Map(WebApplication app, EmulatorState state)
    {
        app.MapPost("/_emulator/tokens", (MintRequest request) =>
            Results.Json(new
            {
                token = state.MintToken(request.Sub, request.Org ?? "org_1", request.Role ?? "admin",
                    request.TtlSeconds is { } ttl ? TimeSpan.FromSeconds(ttl) : null, request.Email ?? "ada@example.com"),
            }));

        app.MapPost("/_emulator/faults", (FaultRule rule) =>
        {
            state.Faults.Add(rule);
            return Results.NoContent();
        });

        app.MapDelete("/_emulator/faults", () =>
        {
            state.Faults.Clear();
            return Results.NoContent();
        });

        app.MapGet("/_emulator/health", () => Results.Json(new { status = "ok" }));
    }
}
