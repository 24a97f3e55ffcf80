using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NaraAuth.Emulator.Endpoints;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator;

/// <summary>A running emulator on 127.0.0.1; tests start one in-process, the program runs one until Ctrl+C.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, EmulatorState state, Uri baseUrl, Uri? httpsBaseUrl)
    {
        _app = app;
        State = state;
        BaseUrl = baseUrl;
        HttpsBaseUrl = httpsBaseUrl;
    }

    public EmulatorState State { get; }
    /// <summary>e.g. http://127.0.0.1:5123/ (with the trailing slash).</summary>
    public Uri BaseUrl { get; }
    /// <summary>The https listener (same endpoints), when <see cref="EmulatorOptions.HttpsCertificate"/> was given.</summary>
    public Uri? HttpsBaseUrl { get; }

    /// <summary>Endpoint groups; each maps its own paths of docs/protocol.md.</summary>
    private static readonly Action<WebApplication, EmulatorState>[] EndpointGroups =
    {
        PlatformBasics.Map,
        AdminEndpoints.Map,
        ServerTokenEndpoints.Map,
        EdgeConnectorEndpoints.Map,
        WorkerEndpoints.Map,
        EdgeServerEndpoints.Map,
        EdgePlaneEndpoints.Map,
        EdgePlaneApiEndpoints.Map,
        OidcProviderEndpoints.Map,
    };

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(EmulatorServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        if (options.HttpsCertificate is { } certificate)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, options.Port);
                kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
            });
        }
        else
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        }
        var state = new EmulatorState(options);
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.UseWebSockets();
        app.UseFaultInjection(state.Faults);
        foreach (var map in EndpointGroups) map(app, state);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));
        var https = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new EmulatorServer(app, state, new Uri(address.TrimEnd('/') + "/"), https == null ? null : new Uri(https.TrimEnd('/') + "/"));
    }

    /// <summary>Completes when the host stops: Ctrl+C, SIGINT or SIGTERM (the host's console lifetime handles them).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        State.Dispose();
    }
}
