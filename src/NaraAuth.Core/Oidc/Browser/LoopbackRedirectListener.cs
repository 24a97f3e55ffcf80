using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Oidc.Browser;

/// <summary>
/// The loopback redirect target of an interactive login (RFC 8252 7.3): listens on
/// http://127.0.0.1:&lt;free port&gt;/ and takes the first real authorization response, one that
/// carries code or error, from the query (response_mode=query) or a form post
/// (response_mode=form_post). Anything else (a reload, a prefetch, a port scan, curl /) gets a
/// 400 or 404 and the login keeps waiting. Connections are served side by side, so a browser's
/// idle preconnect cannot hold up the redirect. The browser's connection of the real answer is
/// held open until PowerShell has checked the answer, so the final page tells the truth
/// (<see cref="ShowPageAsync"/>). A raw TCP listener rather than HttpListener: binding the IP
/// literal needs no URL reservation on Windows, and the Host header is not matched against
/// "localhost". The answer holds an authorization code, so it is never logged.
/// </summary>
public sealed class LoopbackRedirectListener : IDisposable
{
    private const int MaxRequestBytes = 64 * 1024;
    // Bounds on the browser's request to us, not on a request of ours, so neither -TimeoutSec nor
    // the request default applies (docs/architecture.md, "Timeouts"): a connection that never sends
    // its redirect, or never reads the final page, cannot hold the login.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _closing = new();
    private TaskCompletionSource<(TcpClient Client, string Parameters)>? _answer;
    private readonly IReporter _reporter;
    private TcpClient? _held;

    /// <param name="reporter">Hears (with the method and path, never the query) of each request that is no login answer and was turned away.</param>
    public LoopbackRedirectListener(IReporter? reporter = null)
    {
        _reporter = reporter ?? Reporter.None;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        RedirectUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
    }

    public Uri RedirectUri { get; }

    /// <summary>
    /// The state of this login's authorization request. Any local process can call the listener;
    /// an answer whose state is not this one (a forged "?code=x&amp;state=wrong" or
    /// "?error=access_denied") is answered with a short page and ignored, so it can neither end
    /// the login nor slip in a code of its own.
    /// </summary>
    public string? ExpectedState { get; set; }

    /// <summary>The state of an authorize URL (from its query), or null.</summary>
    public static string? StateOf(Uri authorizationUri)
    {
        var query = authorizationUri.Query;
        return ParameterValue(query.StartsWith("?", StringComparison.Ordinal) ? query.Substring(1) : query, "state");
    }

    /// <summary>Waits for the authorization response and returns it as RedirectUri?&lt;parameters&gt;.</summary>
    public async Task<Uri> WaitForRedirectAsync(CancellationToken cancellationToken)
    {
        if (_answer != null) throw new InvalidOperationException("The listener already waits for an answer.");
        _answer = new TaskCompletionSource<(TcpClient, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = AcceptLoopAsync();
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(_answer.Task, cancelled.Task).ConfigureAwait(false) != _answer.Task)
                throw new OperationCanceledException(cancellationToken);
        }
        var (client, parameters) = await _answer.Task.ConfigureAwait(false);
        _held = client;
        return new Uri(RedirectUri.AbsoluteUri + "?" + parameters);
    }

    /// <summary>Answers the held browser connection with the final page (once; later calls do nothing).</summary>
    public async Task ShowPageAsync(string html)
    {
        var client = Interlocked.Exchange(ref _held, null);
        if (client == null) return;
        using (client)
        using (var timeout = new CancellationTokenSource(WriteTimeout))
        {
            try
            {
                await RespondAsync(client.GetStream(), 200, html, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is OperationCanceledException || e is ObjectDisposedException || e is InvalidOperationException)
            {
                // The person closed the tab: PowerShell's own output is what counts.
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
            {
                return; // stopped
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var kept = false;
        try
        {
            var parameters = await ReadAnswerAsync(client).ConfigureAwait(false);
            if (parameters != null && _answer!.TrySetResult((client, parameters))) kept = true;
            else if (parameters != null) await RespondAsync(client.GetStream(), 400, FinalPage.NotAnAnswer(), _closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException || e is OperationCanceledException || e is ObjectDisposedException || e is SocketException || e is InvalidOperationException)
        {
            // A connection that broke or stayed silent is not the answer.
        }
        finally
        {
            if (!kept) client.Dispose();
        }
    }

    /// <summary>The answer's parameters (url-encoded), or null after turning an unrelated request away.</summary>
    private async Task<string?> ReadAnswerAsync(TcpClient client)
    {
        var stream = client.GetStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        timeout.CancelAfter(ReadTimeout);
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
            _reporter.Verbose($"The login listener answered 404 to {method} {Shorten(path)}.");
            await RespondAsync(stream, 404, FinalPage.NotAnAnswer(), timeout.Token).ConfigureAwait(false);
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
        if (!HasParameter(parameters, "code") && !HasParameter(parameters, "error"))
        {
            _reporter.Verbose($"The login listener answered 400 to {method} / without code or error (a reload, prefetch or scan); still waiting for the login.");
            await RespondAsync(stream, 400, FinalPage.NotAnAnswer(), timeout.Token).ConfigureAwait(false);
            return null;
        }
        if (ExpectedState != null && !string.Equals(ParameterValue(parameters, "state"), ExpectedState, StringComparison.Ordinal))
        {
            _reporter.Verbose($"The login listener answered 400 to {method} / whose state is not this login's (another program, or an old tab); still waiting for the login.");
            await RespondAsync(stream, 400, FinalPage.NotAnAnswer(), timeout.Token).ConfigureAwait(false);
            return null;
        }
        return parameters;
    }

    /// <summary>The decoded value of <paramref name="name"/> in a url-encoded parameter list, or null.</summary>
    internal static string? ParameterValue(string parameters, string name)
    {
        foreach (var pair in parameters.Split('&'))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && string.Equals(pair.Substring(0, eq), name, StringComparison.Ordinal))
                return Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
        }
        return null;
    }

    /// <summary>True when the url-encoded parameter list has a non-empty <paramref name="name"/>.</summary>
    internal static bool HasParameter(string parameters, string name)
    {
        foreach (var pair in parameters.Split('&'))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && eq < pair.Length - 1 && string.Equals(pair.Substring(0, eq), name, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static string Shorten(string path) => path.Length > 80 ? path.Substring(0, 80) + "..." : path;

    private static async Task RespondAsync(Stream stream, int status, string html, CancellationToken cancellationToken)
    {
        var reason = status switch { 200 => "OK", 400 => "Bad Request", _ => "Not Found" };
        var body = Encoding.UTF8.GetBytes(html);
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n");
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

    /// <summary>A page still held (PowerShell stopped before deciding) is answered honestly, then the port closes.</summary>
    public void Dispose()
    {
        if (_held != null) ShowPageAsync(FinalPage.Failure("The login was not completed", "PowerShell stopped before it could check the answer. Return to PowerShell for details.")).Wait(WriteTimeout);
        _closing.Cancel();
        _listener.Stop();
        _closing.Dispose();
    }
}
