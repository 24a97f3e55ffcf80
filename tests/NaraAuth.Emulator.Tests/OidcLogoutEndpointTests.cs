using System.Text.Json;

namespace NaraAuth.Emulator.Tests;

/// <summary>The emulator's provider advertises and implements token revocation (RFC 7009) and RP-initiated logout.</summary>
public class OidcLogoutEndpointTests
{
    [Fact]
    public async Task Discovery_advertises_both_and_a_revoked_refresh_token_stops_working_while_end_session_redirects()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        using var discovery = JsonDocument.Parse(await http.GetStringAsync("oidc/.well-known/openid-configuration", ct));
        var issuer = discovery.RootElement.GetProperty("issuer").GetString();
        Assert.Equal(issuer + "/revoke", discovery.RootElement.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(issuer + "/end_session", discovery.RootElement.GetProperty("end_session_endpoint").GetString());

        var store = server.State.Oidc;
        var who = new OidcProviderStore.Identity("ada", "ada@example.com", null);
        var refresh = store.RememberRefresh("naraauth-cli", who, "openid")!;
        FormUrlEncodedContent Revoke(string token, string client) =>
            new(new Dictionary<string, string> { ["token"] = token, ["token_type_hint"] = "refresh_token", ["client_id"] = client });

        // Another client cannot revoke it; an unknown client is refused.
        store.Clients.Add("other-cli");
        Assert.Equal(200, (int)(await http.PostAsync("oidc/revoke", Revoke(refresh, "other-cli"), ct)).StatusCode);
        Assert.Equal(401, (int)(await http.PostAsync("oidc/revoke", Revoke(refresh, "nobody"), ct)).StatusCode);
        Assert.Equal(200, (int)(await http.PostAsync("oidc/revoke", Revoke(refresh, "naraauth-cli"), ct)).StatusCode);
        // RFC 7009 2.2: revoking again is no error.
        Assert.Equal(200, (int)(await http.PostAsync("oidc/revoke", Revoke(refresh, "naraauth-cli"), ct)).StatusCode);
        Assert.Equal(new[] { false, true, false }, store.Revocations.Select(r => r.WasRefreshToken));

        var refused = await http.PostAsync("oidc/token", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = "naraauth-cli" }), ct);
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Contains("invalid_grant", await refused.Content.ReadAsStringAsync(ct));

        var logout = await http.GetAsync("oidc/end_session?id_token_hint=x.y.z&client_id=naraauth-cli", ct);
        Assert.Equal(302, (int)logout.StatusCode);
        Assert.Equal(("naraauth-cli", true), Assert.Single(store.EndedSessions));
    }
}
