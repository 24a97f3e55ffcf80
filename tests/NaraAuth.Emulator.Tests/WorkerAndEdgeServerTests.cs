using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using NaraAuth.ApiKeys;

namespace NaraAuth.Emulator.Tests;

/// <summary>The emulator's /worker and /edge-server services over HTTP, as scripts and the README use them.</summary>
public class WorkerAndEdgeServerTests
{
    private static async Task<(HttpStatusCode, string)> Get(HttpClient http, string path, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization != null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Worker_answers_health_and_ping_openly_and_the_three_401_details()
    {
        await using var server = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var put = await http.PutAsJsonAsync("/_emulator/worker/token", new { token = "tok-123" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/worker/health")).Item1);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/worker/ping")).Item1);
        Assert.Equal((HttpStatusCode.Unauthorized, "{\"detail\":\"Authorization header required. Use 'Authorization: Bearer YOUR_TOKEN'\"}"), await Get(http, "/worker/v1/models"));
        Assert.Equal((HttpStatusCode.Unauthorized, "{\"detail\":\"Invalid authorization header format. Use 'Authorization: Bearer YOUR_TOKEN'\"}"), await Get(http, "/worker/v1/models", "Token tok-123"));
        Assert.Equal((HttpStatusCode.Unauthorized, "{\"detail\":\"Invalid authentication token\"}"), await Get(http, "/worker/v1/models", "Bearer tok-999"));
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/worker/v1/models", "Bearer tok-123")).Item1);
    }

    [Fact]
    public async Task Edge_Server_accepts_keys_of_configured_identities_only()
    {
        await using var server = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var generated = ApiKeyGenerator.Generate(new ScryptParameters(10, 8, 1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(http, "/edge-server/api/whoami", "Bearer " + generated.Key)).Item1);

        var post = await http.PostAsJsonAsync("/_emulator/edge-server/identities", new { name = "ci", hash = generated.Hash + "$" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, post.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "{\"identity\":\"ci\"}"), await Get(http, "/edge-server/api/whoami", "Bearer " + generated.Key));
        var wrong = await Get(http, "/edge-server/api/whoami", "Bearer " + generated.Key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Item1);
        Assert.Contains("Invalid API key", wrong.Item2);
        Assert.Contains("Missing API key", (await Get(http, "/edge-server/api/whoami")).Item2);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/edge-server/health")).Item1);
    }
}
