using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NaraAuth.Emulator.Endpoints;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator;

/// <summary>A running emulator on 127.0.0.1; tests start one in-process, the program runs one until Ctrl+C.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, EmulatorState state, Uri baseUrl)
    {
        _app = app;
        State = state;
        BaseUrl = baseUrl;
    }

    public EmulatorState State { get; }
    /// <summary>e.g. http://127.0.0.1:5123/ (with the trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Endpoint groups; each maps its own paths of protocol.md.</summary>
    private static readonly Action<WebApplication, EmulatorState>[] EndpointGroups =
    {
        PlatformBasics.Map,
        AdminEndpoints.Map,
        EdgePlaneEndpoints.Map,
        OidcProviderEndpoints.Map,
    };

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(EmulatorServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        var state = new EmulatorState(options);
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.UseWebSockets();
        app.UseFaultInjection(state.Faults);
        foreach (var map in EndpointGroups) map(app, state);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorServer(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        State.Dispose();
    }
}
