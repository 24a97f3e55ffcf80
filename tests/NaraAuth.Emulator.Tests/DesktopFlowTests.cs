namespace NaraAuth.Emulator.Tests;

/// <summary>The emulator's desktop flow over HTTP, as the platform behaves (docs/protocol.md 1.1).</summary>
public class DesktopFlowTests
{
    [Fact]
    public async Task Polling_faster_than_the_interval_gets_429_with_Retry_After_and_the_interval_grows()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);
        server.State.EdgeConnector.IntervalSeconds = 2;
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var start = await http.PostAsync("api/auth/desktop/start",
            new StringContent("{\"deviceName\":\"m\",\"deviceId\":\"dev_1\"}", System.Text.Encoding.UTF8, "application/json"), ct);
        using var doc = System.Text.Json.JsonDocument.Parse(await start.Content.ReadAsStringAsync(ct));
        var code = doc.RootElement.GetProperty("code").GetString()!;
        Assert.Equal(2, doc.RootElement.GetProperty("interval").GetDouble());

        var tooFast = await http.GetAsync("api/auth/desktop/session/token?code=" + code, ct);
        Assert.Equal(429, (int)tooFast.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), tooFast.Headers.RetryAfter!.Delta);
        Assert.Equal(7, server.State.EdgeConnector.Find(code)!.RequiredIntervalSeconds);

        server.State.EdgeConnector.EnforceInterval = false;
        Assert.Equal(202, (int)(await http.GetAsync("api/auth/desktop/session/token?code=" + code, ct)).StatusCode);
        Assert.True(server.State.EdgeConnector.Deny(code, server.State));
        Assert.Equal(403, (int)(await http.GetAsync("api/auth/desktop/session/token?code=" + code, ct)).StatusCode);
        Assert.Equal(410, (int)(await http.GetAsync("api/auth/desktop/session/token?code=NOPE-NOPE", ct)).StatusCode);
        Assert.Equal(400, (int)(await http.PostAsync("api/auth/desktop/start", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), ct)).StatusCode);
    }
}
