using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NaraAuth.TestSupport.Harness;

/// <summary>One request as the client sent it to the proxy: the request line and every header.</summary>
public sealed record ProxiedRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// A forwarding HTTP proxy on 127.0.0.1, as a company proxy behaves: plain http requests in
/// absolute form are forwarded to the origin without the Proxy-* headers, CONNECT opens a
/// tunnel (https), and a WebSocket upgrade is passed through. With an account, a request without
/// the right Proxy-Authorization gets 407 and a Basic challenge. Every request it sees is
/// recorded with all its headers, so a test can prove what reached the proxy and what went on to
/// the origin (everything but Proxy-Authorization, for a plain http origin).
/// </summary>
public sealed class ForwardingProxy : IDisposable
{
    private const int MaxHead = 64 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ProxiedRequest> _requests = new();
    private readonly ConcurrentBag<TcpClient> _open = new();
    private readonly ConcurrentDictionary<int, bool> _outboundPorts = new();
    private readonly string? _expectedAuthorization;
    private int _challenges;

    public ForwardingProxy(NetworkCredential? account = null)
    {
        if (account != null)
            _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(account.UserName + ":" + account.Password));
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _ = Task.Run(AcceptLoopAsync);
    }

    public Uri Address { get; }

    /// <summary>Every request that reached the proxy, in order, challenged ones included.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => _requests.ToArray();

    /// <summary>The requests the proxy let through (forwarded, tunnelled or upgraded).</summary>
    public IReadOnlyList<ProxiedRequest> Forwarded => Requests.Where(r => _expectedAuthorization == null || r.Header("Proxy-Authorization") == _expectedAuthorization).ToArray();

    /// <summary>The local ports of the proxy's connections to origins: a request an origin received from any other port did not come through the proxy.</summary>
    public bool IsOwnOutboundPort(int port) => _outboundPorts.ContainsKey(port);

    /// <summary>How many 407 challenges were sent.</summary>
    public int Challenges => Volatile.Read(ref _challenges);

    /// <summary>
    /// The proxy password went to the proxy only: in Proxy-Authorization after a challenge, and in
    /// no other header of any request (which, for a plain http origin, is what the origin receives).
    /// </summary>
    public void AssertAccountOnlyInProxyAuthorization(NetworkCredential account)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(account.UserName + ":" + account.Password));
        Assert.True(Challenges >= 1, "The proxy never asked for its account.");
        Assert.Contains(Requests, r => r.Header("Proxy-Authorization") == "Basic " + basic);
        foreach (var request in Requests)
        {
            Assert.DoesNotContain(account.Password, request.Target, StringComparison.Ordinal);
            foreach (var header in request.Headers)
            {
                if (string.Equals(header.Key, "Proxy-Authorization", StringComparison.OrdinalIgnoreCase)) continue;
                Assert.DoesNotContain(account.Password, header.Value, StringComparison.Ordinal);
                Assert.DoesNotContain(basic, header.Value, StringComparison.Ordinal);
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is SocketException)
            {
                return;
            }
            _open.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                var (head, rest) = await ReadHeadAsync(stream);
                if (head == null) return;
                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                if (requestLine.Length < 3) return;
                var headers = lines.Skip(1).Where(l => l.Length > 0)
                    .Select(l => new KeyValuePair<string, string>(l[..Math.Max(0, l.IndexOf(':'))].Trim(), l[(l.IndexOf(':') + 1)..].Trim())).ToList();
                var request = new ProxiedRequest(requestLine[0], requestLine[1], headers);
                _requests.Enqueue(request);

                if (_expectedAuthorization != null && request.Header("Proxy-Authorization") != _expectedAuthorization)
                {
                    Interlocked.Increment(ref _challenges);
                    // The body is read first: closing on unread bytes would reset the connection before the client reads the 407.
                    if (long.TryParse(request.Header("Content-Length"), out var length)) await DrainAsync(stream, length - rest.Length);
                    await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test-proxy\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }

                if (request.Method == "CONNECT")
                {
                    var hostPort = request.Target.Split(':');
                    using var tunnel = new TcpClient();
                    await tunnel.ConnectAsync(hostPort[0], int.Parse(hostPort[1]), _stop.Token);
                    _outboundPorts[((IPEndPoint)tunnel.Client.LocalEndPoint!).Port] = true;
                    await WriteAsync(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
                    await PipeAsync(stream, tunnel.GetStream(), rest);
                    return;
                }

                var target = new Uri(request.Target);
                using var origin = new TcpClient();
                await origin.ConnectAsync(target.Host, target.Port, _stop.Token);
                _outboundPorts[((IPEndPoint)origin.Client.LocalEndPoint!).Port] = true;
                var upgrade = request.Header("Connection")?.Contains("Upgrade", StringComparison.OrdinalIgnoreCase) == true;
                var forwarded = new StringBuilder($"{request.Method} {target.PathAndQuery} HTTP/1.1\r\n");
                foreach (var header in headers)
                {
                    // Hop-by-hop: what was meant for the proxy stays here.
                    if (header.Key.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)) continue;
                    if (!upgrade && string.Equals(header.Key, "Connection", StringComparison.OrdinalIgnoreCase)) continue;
                    forwarded.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
                }
                // One request per connection keeps the forwarding a plain byte pipe.
                if (!upgrade) forwarded.Append("Connection: close\r\n");
                forwarded.Append("\r\n");
                var originStream = origin.GetStream();
                await WriteAsync(originStream, forwarded.ToString());
                await PipeAsync(stream, originStream, rest);
            }
        }
        catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException || e is FormatException)
        {
            // A client that gave up (a timeout under test) or a proxy being disposed.
        }
    }

    private static async Task<(string? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[MaxHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length));
            if (read == 0) return (null, Array.Empty<byte>());
            length += read;
            var end = IndexOfHeadEnd(buffer, length);
            if (end >= 0) return (Encoding.ASCII.GetString(buffer, 0, end), buffer[(end + 4)..length]);
        }
        return (null, Array.Empty<byte>());
    }

    private static async Task DrainAsync(NetworkStream stream, long remaining)
    {
        var buffer = new byte[8192];
        while (remaining > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)));
            if (read == 0) return;
            remaining -= read;
        }
    }

    private static int IndexOfHeadEnd(byte[] buffer, int length)
    {
        for (var i = 0; i + 3 < length; i++)
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
        return -1;
    }

    /// <summary>Bytes both ways until the origin side closes; what the client sent after its head goes first.</summary>
    private async Task PipeAsync(NetworkStream client, NetworkStream origin, byte[] alreadyRead)
    {
        if (alreadyRead.Length > 0) await origin.WriteAsync(alreadyRead, _stop.Token);
        var up = client.CopyToAsync(origin, _stop.Token);
        var down = origin.CopyToAsync(client, _stop.Token);
        await Task.WhenAny(up, down);
        if (up.IsCompleted) await Task.WhenAny(down, Task.Delay(TimeSpan.FromSeconds(30), _stop.Token));
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _open) client.Dispose();
    }
}
