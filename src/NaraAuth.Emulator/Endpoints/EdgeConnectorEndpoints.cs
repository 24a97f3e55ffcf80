using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator.Endpoints;

/// <summary>
/// docs/protocol.md 1.1 (desktop flow and its approval page), 1.2 (WebSocket handshake) and 1.5
/// (default bundle), plus /_emulator controls to approve, deny or expire a login from a test.
/// </summary>
public static class EdgeConnectorEndpoints
{
    public sealed record StartRequest(string? DeviceName, string? DeviceId);

    public static void Map(WebApplication app, EmulatorState state)
    {
        var store = state.EdgeConnector;

        app.MapPost("/api/auth/desktop/start", async (HttpContext context) =>
        {
            StartRequest? body;
            try
            {
                body = await context.Request.ReadFromJsonAsync<StartRequest>();
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException)
            {
                return Results.Json(new { error = "invalid_request", error_description = "The body must be JSON with deviceName and deviceId." }, statusCode: 400);
            }
            if (string.IsNullOrWhiteSpace(body?.DeviceName) || string.IsNullOrWhiteSpace(body.DeviceId))
                return Results.Json(new { error = "invalid_request", error_description = "deviceName and deviceId are required." }, statusCode: 400);
            var login = store.Start(body.DeviceName, body.DeviceId, state.Time.GetUtcNow());
            if (state.PreApprove) store.Approve(login.Code, state);
            var url = $"{context.Request.Scheme}://{context.Request.Host}/desktop/approve?code={Uri.EscapeDataString(login.Code)}";
            return Results.Json(new { code = login.Code, url, expiresAt = Iso(login.ExpiresAt), interval = store.IntervalSeconds });
        });

        app.MapGet("/api/auth/desktop/session/token", (string? code, HttpContext context) =>
        {
            var login = store.Find(code);
            if (login == null)
                return Results.Json(new { error = "expired_token", error_description = "Unknown or expired code." }, statusCode: 410);
            login.Polls++;
            var now = state.Time.GetUtcNow();
            var sinceLast = login.LastPollAt is { } last ? (now - last).TotalSeconds : double.MaxValue;
            login.LastPollAt = now;
            // 10 % tolerance for timer jitter; a client that keeps the interval never sees this.
            if (store.EnforceInterval && sinceLast < login.RequiredIntervalSeconds * 0.9)
            {
                login.RequiredIntervalSeconds += 5;
                context.Response.Headers.RetryAfter = Math.Ceiling(login.RequiredIntervalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Json(new { error = "slow_down", error_description = "Polling too fast; wait longer between polls." }, statusCode: 429);
            }
            if (login.Status == DesktopLoginStatus.Denied)
                return Results.Json(new { error = "access_denied", error_description = "The user refused the login." }, statusCode: 403);
            if (login.Status == DesktopLoginStatus.Approved)
            {
                login.Status = DesktopLoginStatus.Completed;
                return Results.Json(new { token = login.Token });
            }
            if (login.Status == DesktopLoginStatus.Completed || state.Time.GetUtcNow() >= login.ExpiresAt)
                return Results.Json(new { error = "expired_token", error_description = "The code has expired." }, statusCode: 410);
            return Results.Json(new { status = "pending" }, statusCode: 202);
        });

        // The page a person opens: shows the code to compare, and Approve / Deny.
        app.MapGet("/desktop/approve", (string? code) =>
        {
            var login = store.Find(code);
            if (login == null) return Page("Unknown code", "<p>This login link is unknown or has expired.</p>", 404);
            var safeCode = WebUtility.HtmlEncode(login.Code);
            if (login.Status != DesktopLoginStatus.Pending || state.Time.GetUtcNow() >= login.ExpiresAt)
                return Page("Login " + safeCode, $"<p>The login <strong>{safeCode}</strong> is no longer waiting ({login.Status}).</p>", 410);
            var form = $"""
                <p>The Edge Connector on <strong>{WebUtility.HtmlEncode(login.DeviceName)}</strong> asks to connect to
                organization <strong>{WebUtility.HtmlEncode(store.ApproveAsOrganization)}</strong> as <strong>{WebUtility.HtmlEncode(store.ApproveAsSubject)}</strong>.</p>
                <p>Check that your terminal shows this code:</p>
                <p id="code" style="font-size:2em;font-family:monospace">{safeCode}</p>
                <form method="post" action="/desktop/approve">
                  <input type="hidden" name="code" value="{safeCode}">
                  <button type="submit" name="decision" value="approve">Approve</button>
                  <button type="submit" name="decision" value="deny">Deny</button>
                </form>
                """;
            return Page("Connect the Edge Connector", form, 200);
        });

        app.MapPost("/desktop/approve", async (HttpContext context) =>
        {
            if (!context.Request.HasFormContentType) return Page("Bad request", "<p>Send the form.</p>", 400);
            var form = await context.Request.ReadFormAsync();
            var code = form["code"].ToString();
            var decision = form["decision"].ToString();
            var done = decision switch
            {
                "approve" => store.Approve(code, state),
                "deny" => store.Deny(code, state),
                _ => false,
            };
            if (!done) return Page("Not possible", "<p>This login is unknown, expired or already answered.</p>", 409);
            return decision == "approve"
                ? Page("Approved", "<p>Approved. You can close this window and return to the terminal.</p>", 200)
                : Page("Denied", "<p>Denied. The Edge Connector was not connected.</p>", 200);
        }).DisableAntiforgery();

        app.MapGet("/api/edge-connector/bundles/default", (HttpContext context) =>
        {
            var claims = BearerAuth.UserClaims(context, state, out var failure);
            if (claims == null) return failure!;
            var bundle = (JsonObject)store.DefaultBundle.DeepClone();
            bundle["organization"] = claims["org"]?.DeepClone();
            return Results.Json(bundle);
        });

        app.Map("/api/edge-connector/ws", async (HttpContext context) =>
        {
            var who = Authenticate(context, state, out var failure);
            if (who == null)
            {
                await failure!.ExecuteAsync(context);
                return;
            }
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await Results.Json(new { error = "upgrade_required", error_description = "This endpoint only speaks WebSocket." }, statusCode: 426).ExecuteAsync(context);
                return;
            }
            // Recorded before the 101 goes out: a client may read the answer and check the record
            // before this handler runs again after the accept.
            store.AcceptedSockets.Enqueue(who);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                        break;
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException || e is OperationCanceledException)
            {
                // The client went away without a close frame.
            }
        });

        app.MapPost("/_emulator/desktop/{code}/approve", (string code) => store.Approve(code, state) ? Results.NoContent() : Results.NotFound());
        app.MapPost("/_emulator/desktop/{code}/deny", (string code) => store.Deny(code, state) ? Results.NoContent() : Results.NotFound());
        app.MapPost("/_emulator/desktop/{code}/expire", (string code) => store.Expire(code, state) ? Results.NoContent() : Results.NotFound());
        app.MapPost("/_emulator/desktop/pre-approve/{on}", (bool on) =>
        {
            state.PreApprove = on;
            return Results.NoContent();
        });
    }

    /// <summary>Deployment headers first (the runtime's headless mode), else a Bearer JWT.</summary>
    private static string? Authenticate(HttpContext context, EmulatorState state, out IResult? failure)
    {
        failure = null;
        var id = context.Request.Headers["X-Deployment-Id"].ToString();
        var secret = context.Request.Headers["X-Deployment-Secret"].ToString();
        if (id.Length > 0 || secret.Length > 0)
        {
            if (id.Length > 0 && state.EdgeConnector.Deployments.TryGetValue(id, out var expected) && FixedTimeEquals(expected, secret))
                return "deployment:" + id;
            failure = Results.Json(new { error = "invalid_deployment", error_description = "Unknown deployment or wrong deployment secret." }, statusCode: 401);
            return null;
        }
        var claims = BearerAuth.UserClaims(context, state, out failure);
        return claims == null ? null : "bearer:" + claims["sub"];
    }

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static IResult Page(string title, string body, int status) =>
        Results.Content($"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>",
            "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
