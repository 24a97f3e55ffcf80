using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Core.Oidc.Browser;

/// <summary>
/// The loopback redirect target of an interactive login (RFC 8252 7.3): listens on
/// http://127.0.0.1:&lt;free port&gt;/ and returns the first answer the browser brings back, from
/// the query (response_mode=query) or a form post (response_mode=form_post). A raw TCP listener
/// rather than HttpListener: binding the IP literal needs no URL reservation on Windows, and the
/// Host header is not matched against "localhost". The answer holds an authorization code, so it
/// is never logged; the page shown to the person says only whether it worked.
/// </summary>
public sealed class LoopbackRedirectListener : IDisposable
{
    private const int MaxRequestBytes = 64 * 1024;
    private readonly TcpListener _listener;

    public LoopbackRedirectListener()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        RedirectUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
    }

    public Uri RedirectUri { get; }

    /// <summary>Waits for the redirect and returns it as RedirectUri?&lt;parameters&gt;.</summary>
    public async Task<Uri> WaitForRedirectAsync(string successHtml, string failureHtml, CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(() => _listener.Stop());
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception e) when ((e is ObjectDisposedException || e is SocketException || e is InvalidOperationException) && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            using (client)
            {
                var parameters = await ReadAnswerAsync(client, successHtml, failureHtml, cancellationToken).ConfigureAwait(false);
                if (parameters != null) return new Uri(RedirectUri.AbsoluteUri + "?" + parameters);
            }
        }
    }

    /// <summary>The answer's parameters (url-encoded), or null for an unrelated request such as /favicon.ico.</summary>
    private static async Task<string?> ReadAnswerAsync(TcpClient client, string successHtml, string failureHtml, CancellationToken cancellationToken)
    {
        var stream = client.GetStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk, 0, chunk.Length, timeout.Token).ConfigureAwait(false);
            if (read == 0 || buffer.Length + read > MaxRequestBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        var all = buffer.ToArray();
        var head = Encoding.ASCII.GetString(all, 0, headerEnd);
        var lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length < 2) return null;
        var method = requestLine[0];
        var target = requestLine[1];
        var path = target.Split('?')[0];
        if (path != "/")
        {
            await RespondAsync(stream, 404, "<html><body>Not found</body></html>", timeout.Token).ConfigureAwait(false);
            return null;
        }

        string parameters;
        if (string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            var length = 0;
            foreach (var line in lines)
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) int.TryParse(line.Substring(15).Trim(), out length);
            if (length < 0 || length > MaxRequestBytes) return null;
            var body = new MemoryStream();
            body.Write(all, headerEnd + 4, all.Length - headerEnd - 4);
            while (body.Length < length)
            {
                var read = await stream.ReadAsync(chunk, 0, chunk.Length, timeout.Token).ConfigureAwait(false);
                if (read == 0) break;
                body.Write(chunk, 0, read);
            }
            parameters = Encoding.ASCII.GetString(body.ToArray(), 0, (int)Math.Min(body.Length, length));
        }
        else
        {
            var q = target.IndexOf('?');
            parameters = q < 0 ? string.Empty : target.Substring(q + 1);
        }
        var ok = ("&" + parameters).Contains("&code=");
        await RespondAsync(stream, 200, ok ? successHtml : failureHtml, timeout.Token).ConfigureAwait(false);
        return parameters;
    }

    private static async Task RespondAsync(Stream stream, int status, string html, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(html);
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {(status == 200 ? "OK" : "Not Found")}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, 0, head.Length, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, 0, body.Length, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static int IndexOfHeaderEnd(MemoryStream buffer)
    {
        var data = buffer.GetBuffer();
        for (var i = 0; i + 3 < buffer.Length; i++)
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') return i;
        return -1;
    }

    public void Dispose() => _listener.Stop();
}
