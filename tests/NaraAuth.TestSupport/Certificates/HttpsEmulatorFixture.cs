using NaraAuth.Emulator;

namespace NaraAuth.TestSupport.Certificates;

/// <summary>The emulator with an extra https listener whose certificate the test process trusts (see LoopbackCertificate).</summary>
public sealed class HttpsEmulatorFixture : IAsyncLifetime
{
    private EmulatorServer? _server;

    public EmulatorState State => _server!.State;
    /// <summary>https://127.0.0.1:port without the trailing slash.</summary>
    public string BaseUrl => _server!.BaseUrl.ToString().TrimEnd('/');
    public string HttpsBaseUrl => _server!.HttpsBaseUrl!.ToString().TrimEnd('/');

    public async ValueTask InitializeAsync() =>
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { HttpsCertificate = LoopbackCertificate.Certificate });

    public async ValueTask DisposeAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }
}
