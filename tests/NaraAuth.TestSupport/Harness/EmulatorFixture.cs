using NaraAuth.Emulator;

namespace NaraAuth.TestSupport.Harness;

/// <summary>One emulator per test class, on 127.0.0.1 with a free port, reached over real HTTP.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private EmulatorServer? _server;

    public EmulatorServer Server => _server ?? throw new InvalidOperationException("Emulator not started.");
    public EmulatorState State => Server.State;
    /// <summary>Base URL without the trailing slash, as a user would type it.</summary>
    public string BaseUrl => Server.BaseUrl.ToString().TrimEnd('/');

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync(new EmulatorOptions());

    public async ValueTask DisposeAsync()
    {
        if (_server != null) await _server.DisposeAsync();
    }

    /// <summary>Clears faults and request counts between tests that share the fixture.</summary>
    public void Reset()
    {
        State.Faults.Clear();
        State.PreApprove = false;
    }
}
