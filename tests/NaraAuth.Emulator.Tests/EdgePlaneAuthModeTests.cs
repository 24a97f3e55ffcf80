using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NaraAuth.Emulator.Tests;

/// <summary>
/// EdgePlane's AUTH_MODE over HTTP (docs/protocol.md 2.4): service-account tokens minted by the
/// emulator control, OIDC access tokens fetched from an identity provider as a pipeline would,
/// and which of them whoami and /api/projects accept in token, oidc and dual mode.
/// </summary>
public class EdgePlaneAuthModeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, string Body)> Call(HttpClient http, HttpMethod method, string path, string? bearer, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body != null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task SetMode(HttpClient http, string mode, string? issuer = null, string? audience = null)
    {
        var response = await http.PostAsJsonAsync("/_emulator/edgeplane/auth-mode", new { mode, issuer, audience }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> MintServiceAccount(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("/_emulator/edgeplane/service-accounts", new { name }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        return json["token"]!.GetValue<string>();
    }

    /// <summary>An access token from a provider's device flow, with the person's approval given through the emulator control.</summary>
    internal static async Task<string> AccessTokenFrom(HttpClient provider)
    {
        var start = await provider.PostAsync("/oidc/device_authorization", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "naraauth-cli", ["scope"] = "openid profile email",
        }), Ct);
        var device = JsonNode.Parse(await start.Content.ReadAsStringAsync(Ct))!;
        var approve = await provider.PostAsync($"/_emulator/oidc/device/{device["user_code"]!.GetValue<string>()}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, approve.StatusCode);
        var token = await provider.PostAsync("/oidc/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "naraauth-cli", ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = device["device_code"]!.GetValue<string>(),
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        return JsonNode.Parse(await token.Content.ReadAsStringAsync(Ct))!["access_token"]!.GetValue<string>();
    }

    [Fact]
    public async Task In_token_mode_a_service_account_token_works_and_an_OIDC_access_token_is_refused_with_the_reason()
    {
        await using var server = await EmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var sa = await MintServiceAccount(http, "release-pipeline");
        Assert.StartsWith("mcs_sa_", sa);

        var whoami = await Call(http, HttpMethod.Get, "/auth/whoami", sa);
        Assert.Equal(HttpStatusCode.OK, whoami.Status);
        var me = JsonNode.Parse(whoami.Body)!;
        Assert.Equal("release-pipeline", me["subject"]!.GetValue<string>());
        Assert.False(me["is_admin"]!.GetValue<bool>());

        var created = await Call(http, HttpMethod.Post, "/api/projects", sa, new { name = "edge-fleet" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("release-pipeline", JsonNode.Parse(created.Body)!["created_by"]!.GetValue<string>());
        var list = await Call(http, HttpMethod.Get, "/api/projects", sa);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("edge-fleet", JsonNode.Parse(list.Body)!.AsArray().Single()!["name"]!.GetValue<string>());

        var jwt = await AccessTokenFrom(http);
        var refused = await Call(http, HttpMethod.Get, "/auth/whoami", jwt);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("AUTH_MODE=token", refused.Body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(http, HttpMethod.Get, "/api/projects", jwt)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(http, HttpMethod.Get, "/api/projects", "mcs_sa_unknown")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Call(http, HttpMethod.Get, "/api/projects", null)).Status);
    }

    [Fact]
    public async Task In_oidc_mode_the_providers_access_token_works_and_mcs_tokens_are_refused()
    {
        await using var server = await EmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var sa = await MintServiceAccount(http, "ci");
        await SetMode(http, "oidc");
        var jwt = await AccessTokenFrom(http);

        var whoami = await Call(http, HttpMethod.Get, "/auth/whoami", jwt);
        Assert.Equal(HttpStatusCode.OK, whoami.Status);
        Assert.Equal(server.State.Oidc.DefaultSubject, JsonNode.Parse(whoami.Body)!["subject"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Call(http, HttpMethod.Get, "/api/projects", jwt)).Status);

        var refused = await Call(http, HttpMethod.Get, "/auth/whoami", sa);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("AUTH_MODE=oidc", refused.Body);
    }

    [Fact]
    public async Task In_dual_mode_both_kinds_work()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { EdgePlaneAuthMode = EdgePlaneAuthMode.Dual }, Ct);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await Call(http, HttpMethod.Get, "/auth/whoami", await MintServiceAccount(http, "ci"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call(http, HttpMethod.Get, "/auth/whoami", await AccessTokenFrom(http))).Status);
    }

    [Fact]
    public async Task In_oidc_mode_a_token_with_a_wrong_issuer_audience_signature_or_expiry_is_refused_for_that_reason()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { EdgePlaneAuthMode = EdgePlaneAuthMode.Oidc }, Ct);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var issuer = server.BaseUrl.ToString().TrimEnd('/') + "/oidc";
        var oidc = server.State.Oidc;
        JsonObject Claims(string iss, string aud, TimeSpan lifetime) => new()
        {
            ["iss"] = iss, ["aud"] = aud, ["sub"] = "pipeline",
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["exp"] = (DateTimeOffset.UtcNow + lifetime).ToUnixTimeSeconds(),
        };

        Assert.Equal(HttpStatusCode.OK, (await Call(http, HttpMethod.Get, "/auth/whoami", oidc.Signer.Sign(Claims(issuer, "naraauth-cli", TimeSpan.FromHours(1))))).Status);
        foreach (var (token, reason) in new[]
        {
            (oidc.Signer.Sign(Claims("https://impostor.example.com/oidc", "naraauth-cli", TimeSpan.FromHours(1))), "invalid issuer"),
            (oidc.Signer.Sign(Claims(issuer, "someone-else", TimeSpan.FromHours(1))), "invalid audience"),
            (oidc.RogueSigner.Sign(Claims(issuer, "naraauth-cli", TimeSpan.FromHours(1))), "invalid signature"),
            (oidc.Signer.Sign(Claims(issuer, "naraauth-cli", TimeSpan.FromHours(-1))), "token expired"),
            (oidc.Signer.Sign(Claims(issuer, "naraauth-cli", TimeSpan.FromHours(1)), "HS256"), "RS256"),
            (oidc.UnpublishedSigner.Sign(Claims(issuer, "naraauth-cli", TimeSpan.FromHours(1))), "no signing key"),
        })
        {
            var refused = await Call(http, HttpMethod.Get, "/auth/whoami", token);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
            Assert.Contains(reason, refused.Body);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Call(http, HttpMethod.Get, "/api/projects", token)).Status);
        }
    }

    [Fact]
    public async Task The_issuer_is_configurable_so_another_providers_tokens_are_accepted_and_the_own_providers_are_not()
    {
        await using var provider = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var server = await EmulatorServer.StartAsync(cancellationToken: Ct);
        using var providerHttp = new HttpClient { BaseAddress = provider.BaseUrl };
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        await SetMode(http, "oidc", issuer: provider.BaseUrl.ToString().TrimEnd('/') + "/oidc", audience: "naraauth-cli");

        Assert.Equal(HttpStatusCode.OK, (await Call(http, HttpMethod.Get, "/auth/whoami", await AccessTokenFrom(providerHttp))).Status);
        var own = await Call(http, HttpMethod.Get, "/auth/whoami", await AccessTokenFrom(http));
        Assert.Equal(HttpStatusCode.Unauthorized, own.Status);
        Assert.Contains("invalid signature", own.Body);

        await SetMode(http, "oidc", audience: "edgeplane-api");
        var wrongAudience = await Call(http, HttpMethod.Get, "/auth/whoami", await AccessTokenFrom(http));
        Assert.Contains("invalid audience", wrongAudience.Body);
    }

    [Fact]
    public async Task The_controls_refuse_a_mode_or_name_they_do_not_know_and_the_command_line_sets_the_mode()
    {
        await using var server = await EmulatorServer.StartAsync(cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/_emulator/edgeplane/auth-mode", new { mode = "saml" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/_emulator/edgeplane/service-accounts", new { name = " " }, Ct)).StatusCode);
        Assert.Equal(EdgePlaneAuthMode.Token, server.State.EdgePlane.AuthMode);

        var options = EmulatorOptions.FromArgs(new[] { "--auth-mode", "dual", "--oidc-issuer", "https://login.example.com/tenant", "--oidc-audience", "api://edgeplane" });
        Assert.Equal(EdgePlaneAuthMode.Dual, options.EdgePlaneAuthMode);
        Assert.Equal("https://login.example.com/tenant", options.EdgePlaneOidcIssuer);
        Assert.Equal("api://edgeplane", options.EdgePlaneOidcAudience);
        Assert.Throws<ArgumentException>(() => EmulatorOptions.FromArgs(new[] { "--auth-mode", "1" }));
        Assert.Throws<ArgumentException>(() => EmulatorOptions.FromArgs(new[] { "--oidc-issuer", "not a url" }));
    }
}
