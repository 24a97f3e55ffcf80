namespace NaraAuth.Emulator.Endpoints;

/// <summary>
/// A NodeTool worker (docs/protocol.md 3) mounted under /worker: /worker/health and
/// /worker/ping answer without auth; /worker/v1/models needs the worker token and answers 401
/// with the worker's three "detail" texts (missing header, malformed header, wrong token).
/// </summary>
public static class WorkerEndpoints
{
    public sealed record TokenRequest(string Token);

    public static void Map(WebApplication app, EmulatorState state)
    {
        // Script control (not the worker's API): set the token the worker accepts.
        app.MapPut("/_emulator/worker/token", (TokenRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Token)) return Results.BadRequest(new { detail = "token is required" });
            state.Worker.Token = request.Token;
            return Results.NoContent();
        });

        var worker = app.MapGroup("/worker");
        worker.MapGet("/health", () => Results.Json(new { status = "healthy" }));
        worker.MapGet("/ping", () => Results.Json(new { status = "ok" }));
        worker.MapGet("/v1/models", (HttpContext context) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var failure = state.Worker.Check(header);
            if (failure != null) return Results.Json(new { detail = failure }, statusCode: 401);
            return Results.Json(new { @object = "list", data = new[] { new { id = "llama3.2:latest", @object = "model" } } });
        });
    }
}
