using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.EdgePlane;

/// <summary>Calls to EdgePlane with a session token.</summary>
public static class EdgePlaneClient
{
    /// <param name="reporter">Hears of retries.</param>
    public static async Task<EdgePlaneIdentity> WhoAmIAsync(Uri baseUrl, string sessionToken, CancellationToken cancellationToken, IReporter? reporter = null)
    {
        var api = new ApiClient(baseUrl, reporter: reporter);
        var response = await api.SendAsync(new ApiRequest(HttpMethod.Get, "/auth/whoami") { Bearer = sessionToken }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 401) throw SessionRejected(baseUrl);
        return ParseIdentity(response.EnsureSuccess("ask EdgePlane who you are"));
    }

    internal static NaraAuthException SessionRejected(Uri baseUrl, Exception? inner = null) =>
        new("EdgePlaneSessionRejected", NaraErrorCategory.AuthenticationError,
            $"EdgePlane at {EdgePlaneUrl.ToStored(baseUrl)} did not accept the session: session expired or revoked, log in again.",
            "Log in again with Invoke-OidcCliLogin.", EdgePlaneUrl.ToStored(baseUrl), inner);

    /// <summary>The whoami answer of docs/protocol.md 2.2.</summary>
    internal static EdgePlaneIdentity ParseIdentity(ApiResponse response)
    {
        using var document = response.Json();
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                "EdgePlane's whoami answer is not a JSON object.", null, Http.SafeUri.WithoutQuery(response.RequestUri));
        }
        long? sessionId = root.TryGetProperty("session_id", out var sid) && sid.ValueKind == JsonValueKind.Number && sid.TryGetInt64(out var n) ? n : null;
        var isAdmin = root.TryGetProperty("is_admin", out var admin) && admin.ValueKind == JsonValueKind.True;
        return new EdgePlaneIdentity(response.Quote(JsonText.StringOf(root, "subject")), response.Quote(JsonText.StringOf(root, "email")),
            Iso8601.TryParse(JsonText.StringOf(root, "expires_at")), sessionId, isAdmin);
    }
}
