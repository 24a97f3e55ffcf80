using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator.Endpoints;

/// <summary>JWKS and organizations (docs/protocol.md 1.3).</summary>
public static class PlatformBasics
{
    public static void Map(WebApplication app, EmulatorState state)
    {
        app.MapGet("/.well-known/jwks.json", () => Results.Json(state.Signer.Jwks()));

        app.MapGet("/api/me/organizations", (HttpContext context) =>
        {
            if (BearerAuth.UserClaims(context, state, out var failure) == null) return failure!;
            return Results.Json(state.Organizations.Select(o => new { id = o.Id, name = o.Name, edgeConnector = o.EdgeConnector }));
        });
    }
}
