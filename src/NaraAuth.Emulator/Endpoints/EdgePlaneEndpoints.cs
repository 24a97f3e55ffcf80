using System.Net;
using System.Text.Json;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator.Endpoints;

/// <summary>
/// EdgePlane's CLI login and whoami (docs/protocol.md 2.1, 2.2). The real server sends the browser to
/// the identity provider and back to its callback; the emulator folds both into one login page
/// that a person (or a test) completes and that shows the grant id, as EdgePlane's success page does.
/// </summary>
public static class EdgePlaneEndpoints
{
    public static void Map(WebApplication app, EmulatorState state)
    {
        var store = state.EdgePlane;

        app.MapGet("/auth/oidc/cli-initiate", (HttpContext context) =>
        {
            var login = store.Initiate();
            if (state.PreApprove) store.Complete(login.Nonce);
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Json(new
            {
                authorize_url = $"{origin}/auth/oidc/cli-login?cli_nonce={Uri.EscapeDataString(login.Nonce)}",
                cli_nonce = login.Nonce,
                expires_at = login.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            });
        });

        app.MapGet("/auth/oidc/cli-login", (string? cli_nonce) =>
        {
            var login = cli_nonce == null ? null : store.Login(cli_nonce);
            if (login == null || login.ExpiresAt <= state.Time.GetUtcNow())
                return Results.Content(Page("Login expired", "<p>This login link is unknown or has expired. Start again from the command line.</p>"), "text/html", statusCode: 410);
            var nonce = WebUtility.HtmlEncode(login.Nonce);
            return Results.Content(Page("EdgePlane login", $"""
                <form method="post" action="/auth/oidc/cli-login">
                  <input type="hidden" name="cli_nonce" value="{nonce}">
                  <label>Subject <input name="subject" value="{WebUtility.HtmlEncode(store.DefaultSubject)}"></label>
                  <label>Email <input name="email" value="{WebUtility.HtmlEncode(store.DefaultEmail)}"></label>
                  <button type="submit">Log in</button>
                </form>
                """), "text/html");
        });

        app.MapPost("/auth/oidc/cli-login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var grant = store.Complete(form["cli_nonce"].ToString(), NullIfEmpty(form["subject"]), NullIfEmpty(form["email"]));
            if (grant == null)
                return Results.Content(Page("Login expired", "<p>This login is unknown or has expired.</p>"), "text/html", statusCode: 410);
            return Results.Content(Page("Logged in", $"""
                <p>You are logged in. The command line picks this up by itself; if it asks for a grant id, enter:</p>
                <p><code id="grant_id">{WebUtility.HtmlEncode(grant)}</code></p>
                """), "text/html");
        });

        app.MapGet("/auth/oidc/cli-poll/{nonce}", (string nonce) =>
        {
            var login = store.Login(nonce);
            if (login?.GrantId == null) return Results.Json(new { detail = "Login not completed yet." }, statusCode: 404);
            return Results.Json(new { status = "ready", grant_id = login.GrantId });
        });

        app.MapPost("/auth/oidc/exchange", async (HttpContext context) =>
        {
            string? grantId = null;
            int? ttl = null;
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                if (body.RootElement.TryGetProperty("grant_id", out var g) && g.ValueKind == JsonValueKind.String) grantId = g.GetString();
                if (body.RootElement.TryGetProperty("ttl_hours", out var t))
                {
                    if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out var hours) || hours < 1 || hours > 720)
                        return Results.Json(new { error = "invalid_request", error_description = "ttl_hours must be a whole number from 1 to 720." }, statusCode: 400);
                    ttl = hours;
                }
            }
            catch (JsonException)
            {
                return Results.Json(new { error = "invalid_request", error_description = "The body is not JSON." }, statusCode: 400);
            }
            var session = grantId == null ? null : store.Exchange(grantId, ttl);
            if (session == null) return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            return Results.Json(new
            {
                token = session.Token,
                subject = session.Subject,
                email = session.Email,
                expires_at = session.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
                session_id = session.SessionId,
            });
        });

        app.MapGet("/auth/whoami", async (HttpContext context) =>
        {
            var (caller, failure) = await state.EdgePlaneAuth.AuthenticateAsync(context);
            if (caller == null) return EdgePlaneApiEndpoints.Unauthorized(failure);
            return Results.Json(new
            {
                subject = caller.Subject,
                email = caller.Email,
                expires_at = caller.ExpiresAt is { } at ? EdgePlaneApiEndpoints.Format(at) : null,
                session_id = caller.SessionId,
                is_admin = caller.IsAdmin,
            });
        });

        // Test and demo control: revoke a session as an administrator would.
        app.MapPost("/_emulator/edgeplane/sessions/{id:long}/revoke", (long id) =>
            store.Revoke(id) ? Results.NoContent() : Results.NotFound());
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrWhiteSpace(value.ToString()) ? null : value.ToString();

    internal static string Page(string title, string body) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</body></html>";
}
