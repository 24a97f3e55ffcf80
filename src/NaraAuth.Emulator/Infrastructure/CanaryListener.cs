using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NaraAuth.Emulator.Infrastructure;

/// <summary>
/// "Another host" for hostile-server tests: a listener on a second loopback address
/// (127.0.0.2) that a redirect or a path trick would send a credential to. It never answers; it
/// records every connection and the bytes it received, and a test fails when it was touched.
/// </summary>
public sealed class CanaryListener : IDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.2");

    private readonly TcpListener _listener;
    private readonly StringBuilder _received = new();
    private readonly List<TcpClient> _clients = new();
    private int _connections;

    private CanaryListener()
    {
        _listener = new TcpListener(Address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public static CanaryListener Start() => new();

    public int Port { get; }
    /// <summary>http://127.0.0.2:port (no trailing slash).</summary>
    public string BaseUrl => $"http://{Address}:{Port}";
    public string HostAndPort => $"{Address}:{Port}";

    public bool Touched => Volatile.Read(ref _connections) > 0;

    /// <summary>What arrived, for the failure message (the test's own secret is replaced by the caller).</summary>
    public string Report
    {
        get
        {
            lock (_received) return $"The canary host {HostAndPort} received {_connections} connection(s): {_received}";
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            lock (_clients) _clients.Add(client);
            _ = RecordAsync(client);
        }
    }

    private async Task RecordAsync(TcpClient client)
    {
        var buffer = new byte[4096];
        try
        {
            var stream = client.GetStream();
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
                lock (_received) _received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is SocketException)
        {
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_clients)
            foreach (var client in _clients) client.Dispose();
    }
}
