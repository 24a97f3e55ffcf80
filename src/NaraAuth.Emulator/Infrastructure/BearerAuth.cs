using System.Text.Json.Nodes;

namespace NaraAuth.Emulator.Infrastructure;

/// <summary>Reads "Authorization: Bearer ..." and checks it against the emulator's signing key.</summary>
public static class BearerAuth
{
    public static string? BearerOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header.Substring(7).Trim() : null;
    }

    /// <summary>The JWT's claims, or null with a 401 result to return.</summary>
    public static JsonObject? UserClaims(HttpContext context, EmulatorState state, out IResult? failure)
    {
        failure = null;
        var bearer = BearerOf(context);
        if (bearer == null)
        {
            failure = Results.Json(new { error = "unauthorized", error_description = "Missing bearer token." }, statusCode: 401);
            return null;
        }
        var claims = state.Signer.Verify(bearer, state.Time.GetUtcNow());
        if (claims == null)
            failure = Results.Json(new { error = "invalid_token", error_description = "The token is invalid or expired." }, statusCode: 401);
        return claims;
    }
}
