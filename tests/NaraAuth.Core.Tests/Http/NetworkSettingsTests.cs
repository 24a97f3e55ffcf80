using System.Diagnostics;
using System.Net;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Core.Tests.Http;

/// <summary>
/// The network settings of one cmdlet call: that they reach work started inside the call and
/// nothing outside it, that -TimeoutSec bounds its requests (the full rule is
/// <see cref="RequestTimeoutsTests"/>), and that -Proxy is never bypassed.
/// </summary>
public sealed class NetworkSettingsTests
{
    [Fact]
    public async Task Settings_reach_work_started_inside_the_call_and_are_gone_after_it()
    {
        var settings = new NetworkSettings(null, TimeSpan.FromSeconds(5));
        var inner = NetworkSettings.Run(settings, () => Task.Run(async () =>
        {
            await Task.Yield();
            return NetworkSettings.Current;
        }));
        Assert.Null(NetworkSettings.Current);
        Assert.Same(settings, await inner);
        // Work started afterwards (the next command of the pipeline) starts without them.
        Assert.Null(await Task.Run(() => NetworkSettings.Current));
    }

    [Fact]
    public void An_explicit_proxy_is_never_bypassed_not_even_for_loopback()
    {
        var proxy = new ExplicitProxy(new Uri("http://proxy.example.com:8080"), new NetworkCredential("u", "p"));
        foreach (var destination in new[] { "http://127.0.0.1:5000/", "http://localhost/", "http://[::1]/", "https://app.nara.de/" })
        {
            Assert.False(proxy.IsBypassed(new Uri(destination)));
            Assert.Equal(new Uri("http://proxy.example.com:8080"), proxy.GetProxy(new Uri(destination)));
        }
    }

    [Fact]
    public void Calls_through_different_proxies_keep_their_own_clients_side_by_side()
    {
        var first = new ProxySettings(new Uri("http://proxy-a.example.com:8080"), null);
        var second = new ProxySettings(new Uri("http://proxy-b.example.com:8080"), new NetworkCredential("u", "p"));
        var a = SharedHttpClient.Get(first);
        var b = SharedHttpClient.Get(second);
        var system = SharedHttpClient.Get();
        Assert.NotSame(a, b);
        Assert.NotSame(a, system);
        // Alternating (two runspaces at once) reuses each client instead of replacing it.
        Assert.Same(a, SharedHttpClient.Get(first));
        Assert.Same(b, SharedHttpClient.Get(new ProxySettings(new Uri("http://proxy-b.example.com:8080"), new NetworkCredential("u", "p"))));
        Assert.Same(system, SharedHttpClient.Get());
        Assert.Same(a, NetworkSettings.Run(new NetworkSettings(first, null), SharedHttpClient.ForCurrentCall));
    }

    [Fact]
    public async Task The_calls_TimeoutSec_bounds_a_request_below_the_request_default()
    {
        await using var server = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.State.Faults.Add(new FaultRule { PathPrefix = "/api/me/organizations", Delay = TimeSpan.FromSeconds(30) });
        var client = new ApiClient(server.BaseUrl, retry: new RetryOptions { MaxRetries = 0 });
        var clock = Stopwatch.StartNew();
        var error = await NetworkSettings.Run(new NetworkSettings(null, TimeSpan.FromSeconds(1)), () => Assert.ThrowsAsync<NaraAuthException>(
            () => client.SendAsync(new ApiRequest(System.Net.Http.HttpMethod.Get, "/api/me/organizations"), TestContext.Current.CancellationToken)));
        Assert.Equal("RequestTimedOut", error.ErrorId);
        Assert.Contains("1 s", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Took {clock.Elapsed.TotalSeconds:0.0} s.");
    }
}
