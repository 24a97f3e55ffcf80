using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator.Endpoints;

/// <summary>
/// An Edge Server (docs/protocol.md 4) mounted under /edge-server: /edge-server/health is
/// public; /edge-server/api/whoami accepts "Authorization: Bearer &lt;key&gt;" when the key matches
/// the hash of a configured identity, and names that identity.
/// </summary>
public static class EdgeServerEndpoints
{
    public sealed record IdentityRequest(string Name, string Hash);

    public static void Map(WebApplication app, EmulatorState state)
    {
        // Script control (not the Edge Server's API): configure identities as auth.identities would.
        app.MapPost("/_emulator/edge-server/identities", (IdentityRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Hash))
                return Results.BadRequest(new { detail = "name and hash are required" });
            state.EdgeServer.AddIdentity(request.Name, request.Hash);
            return Results.NoContent();
        });
        app.MapDelete("/_emulator/edge-server/identities", () =>
        {
            state.EdgeServer.Clear();
            return Results.NoContent();
        });

        var edge = app.MapGroup("/edge-server");
        edge.MapGet("/health", () => Results.Json(new { status = "ok" }));
        edge.MapGet("/api/whoami", (HttpContext context) =>
        {
            var key = BearerAuth.BearerOf(context);
            if (key == null)
                return Results.Json(new { error = "unauthorized", error_description = "Missing API key: send 'Authorization: Bearer <api key>'." }, statusCode: 401);
            var identity = state.EdgeServer.Authenticate(key);
            return identity == null
                ? Results.Json(new { error = "unauthorized", error_description = "Invalid API key." }, statusCode: 401)
                : Results.Json(new { identity });
        });
    }
}
