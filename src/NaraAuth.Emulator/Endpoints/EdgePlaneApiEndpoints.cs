using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator.Endpoints;

/// <summary>
/// EdgePlane's API for authenticated calls from a pipeline (docs/protocol.md 2.4): /api/projects,
/// under the server's AUTH_MODE; and the emulator-only controls that set that mode and issue
/// service-account tokens as an EdgePlane administrator would.
/// </summary>
public static class EdgePlaneApiEndpoints
{
    public sealed record AuthModeRequest(string? Mode, string? Issuer, string? Audience);
    public sealed record ServiceAccountRequest(string? Name, int? LifetimeHours);
    public sealed record ProjectRequest(string? Name);

    public static void Map(WebApplication app, EmulatorState state)
    {
        var store = state.EdgePlane;
        var auth = state.EdgePlaneAuth;

        app.MapGet("/api/projects", async (HttpContext context) =>
        {
            var (caller, failure) = await auth.AuthenticateAsync(context);
            if (caller == null) return Unauthorized(failure);
            return Results.Json(store.Projects.Values.OrderBy(p => p.Id).Select(Shape).ToArray());
        });

        app.MapGet("/api/projects/{id:long}", async (HttpContext context, long id) =>
        {
            var (caller, failure) = await auth.AuthenticateAsync(context);
            if (caller == null) return Unauthorized(failure);
            return store.Projects.TryGetValue(id, out var project) ? Results.Json(Shape(project)) : Results.Json(new { detail = "Project not found." }, statusCode: 404);
        });

        app.MapPost("/api/projects", async (HttpContext context) =>
        {
            var (caller, failure) = await auth.AuthenticateAsync(context);
            if (caller == null) return Unauthorized(failure);
            ProjectRequest? request;
            try
            {
                request = await context.Request.ReadFromJsonAsync<ProjectRequest>();
            }
            catch (System.Text.Json.JsonException)
            {
                return Results.Json(new { detail = "The body is not JSON." }, statusCode: 400);
            }
            if (string.IsNullOrWhiteSpace(request?.Name)) return Results.Json(new { detail = "name is required." }, statusCode: 422);
            var project = store.CreateProject(request.Name, caller.Subject);
            return Results.Json(Shape(project), statusCode: 201);
        });

        app.MapDelete("/api/projects/{id:long}", async (HttpContext context, long id) =>
        {
            var (caller, failure) = await auth.AuthenticateAsync(context);
            if (caller == null) return Unauthorized(failure);
            return store.Projects.TryRemove(id, out _) ? Results.NoContent() : Results.Json(new { detail = "Project not found." }, statusCode: 404);
        });

        // Emulator-only: the server's AUTH_MODE, and the identity provider and audience of oidc/dual.
        app.MapPost("/_emulator/edgeplane/auth-mode", (AuthModeRequest request) =>
        {
            if (!Enum.TryParse<EdgePlaneAuthMode>(request.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
                return Results.Json(new { error = "invalid_request", error_description = "mode must be token, oidc or dual." }, statusCode: 400);
            if (request.Issuer != null && !Uri.TryCreate(request.Issuer, UriKind.Absolute, out _))
                return Results.Json(new { error = "invalid_request", error_description = "issuer must be an absolute URL." }, statusCode: 400);
            store.AuthMode = mode;
            store.OidcIssuer = string.IsNullOrWhiteSpace(request.Issuer) ? null : request.Issuer;
            store.OidcAudience = string.IsNullOrWhiteSpace(request.Audience) ? EdgePlaneStore.DefaultOidcAudience : request.Audience;
            auth.ForgetKeys();
            return Results.Json(new { mode = mode.ToString().ToLowerInvariant(), issuer = store.OidcIssuer, audience = store.OidcAudience });
        });

        // Emulator-only: a service-account token as an EdgePlane administrator issues one for a pipeline.
        app.MapPost("/_emulator/edgeplane/service-accounts", (ServiceAccountRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name))
                return Results.Json(new { error = "invalid_request", error_description = "name is required." }, statusCode: 400);
            if (request.LifetimeHours is { } h && (h < 1 || h > 24 * 3650))
                return Results.Json(new { error = "invalid_request", error_description = "lifetime_hours must be from 1 to 87600." }, statusCode: 400);
            var account = store.MintServiceAccount(request.Name, request.LifetimeHours is { } hours ? TimeSpan.FromHours(hours) : null);
            return Results.Json(new { token = account.Token, name = account.Subject, expires_at = Format(account.ExpiresAt), session_id = account.SessionId });
        });
    }

    /// <summary>EdgePlane's 401: the reason in detail, as its other endpoints answer.</summary>
    internal static IResult Unauthorized(string? failure) =>
        Results.Json(new { detail = failure ?? "Not authenticated." }, statusCode: 401);

    private static object Shape(EdgePlaneProject p) => new { id = p.Id, name = p.Name, created_by = p.CreatedBy, created_at = Format(p.CreatedAt) };

    internal static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
}
