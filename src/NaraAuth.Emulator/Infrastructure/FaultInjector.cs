using System.Collections.Concurrent;

namespace NaraAuth.Emulator.Infrastructure;

/// <summary>One injected fault: applies to the next <see cref="Count"/> matching requests.</summary>
public sealed class FaultRule
{
    /// <summary>Request path prefix, e.g. "/api/tokens".</summary>
    public required string PathPrefix { get; init; }
    /// <summary>HTTP method to match, or null for any.</summary>
    public string? Method { get; init; }
    public int Count { get; set; } = 1;
    /// <summary>Answer with this status instead of the real handler.</summary>
    public int? Status { get; init; }
    /// <summary>Retry-After header value (seconds) with <see cref="Status"/>.</summary>
    public int? RetryAfterSeconds { get; init; }
    /// <summary>Wait this long before answering (or before running the real handler).</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Close the connection without an answer, after running the real handler when <see cref="AfterHandler"/>.</summary>
    public bool Drop { get; init; }
    /// <summary>With <see cref="Drop"/>: let the request take effect first, then lose the answer.</summary>
    public bool AfterHandler { get; init; }
    /// <summary>Answer 200 with a body that is not JSON.</summary>
    public bool MalformedBody { get; init; }
    /// <summary>A body to send with <see cref="Status"/>.</summary>
    public string? Body { get; init; }

    /// <summary>
    /// A hostile server that quotes what it received: answer <see cref="Status"/> (default 401)
    /// with error, error_description and detail holding the Authorization, X-Deployment-Secret and
    /// X-Api-Key headers and every form field of the request.
    /// </summary>
    public bool EchoCredentials { get; init; }
    /// <summary>Answer <see cref="Status"/> (default 307) with this Location, on any endpoint including the WebSocket upgrade.</summary>
    public string? RedirectTo { get; init; }
    /// <summary>Answer 200 with a JSON body that never ends, one byte per interval, until the client gives up.</summary>
    public TimeSpan? TrickleInterval { get; init; }
    /// <summary>Answer 200 with a body of this many bytes.</summary>
    public long? OversizedBytes { get; init; }
    /// <summary>With <see cref="OversizedBytes"/>: declare the length up front (else the body is chunked).</summary>
    public bool DeclareLength { get; init; }
    /// <summary>Answer a WebSocket upgrade with 101 but a Sec-WebSocket-Accept that does not match the key.</summary>
    public bool WrongWebSocketAccept { get; init; }
}

/// <summary>One request as the emulator received it.</summary>
public sealed record SeenRequest(string Method, string Path, int RemotePort);

/// <summary>Faults queued by tests (in-process or through /_emulator/faults), and request counts.</summary>
public sealed class FaultInjector
{
    private readonly List<FaultRule> _rules = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SeenRequest> _seen = new();

    public void Add(FaultRule rule)
    {
        lock (_rules) _rules.Add(rule);
    }

    public void Clear()
    {
        lock (_rules) _rules.Clear();
        _counts.Clear();
        _seen.Clear();
    }

    /// <summary>Every request since the last <see cref="Clear"/>, with the client port it came from (a proxy's, when it went through one).</summary>
    public IReadOnlyList<SeenRequest> Seen => _seen.ToArray();

    /// <summary>How many requests reached "METHOD /path" (faulted ones included).</summary>
    public int CountOf(string method, string path) => _counts.TryGetValue(method.ToUpperInvariant() + " " + path, out var n) ? n : 0;

    internal void Record(string method, string path, int remotePort)
    {
        _counts.AddOrUpdate(method.ToUpperInvariant() + " " + path, 1, (_, n) => n + 1);
        _seen.Enqueue(new SeenRequest(method.ToUpperInvariant(), path, remotePort));
    }

    internal FaultRule? Take(string method, string path)
    {
        lock (_rules)
        {
            var rule = _rules.FirstOrDefault(r => r.Count > 0 && path.StartsWith(r.PathPrefix, StringComparison.Ordinal)
                && (r.Method == null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)));
            if (rule == null) return null;
            rule.Count--;
            if (rule.Count == 0) _rules.Remove(rule);
            return rule;
        }
    }
}

public static class FaultMiddleware
{
    /// <summary>The faults of a hostile server; true when one answered.</summary>
    private static async Task<bool> HostileAnswerAsync(HttpContext context, FaultRule rule)
    {
        if (rule.RedirectTo != null)
        {
            context.Response.StatusCode = rule.Status ?? 307;
            context.Response.Headers.Location = rule.RedirectTo;
            return true;
        }
        if (rule.EchoCredentials)
        {
            var echoed = new List<string>();
            foreach (var name in new[] { "Authorization", "X-Deployment-Secret", "X-Api-Key" })
                if (context.Request.Headers.TryGetValue(name, out var value)) echoed.Add($"{name}: {value}");
            if (context.Request.HasFormContentType)
                foreach (var field in await context.Request.ReadFormAsync()) echoed.Add($"{field.Key}={field.Value}");
            var text = string.Join(", ", echoed);
            context.Response.StatusCode = rule.Status ?? 401;
            if (rule.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString();
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
            {
                ["error"] = "echo " + text,
                ["error_description"] = "You sent " + text,
                ["detail"] = "Received " + text,
            });
            return true;
        }
        if (rule.TrickleInterval is { } interval)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            try
            {
                await context.Response.WriteAsync("{\"padding\": \"");
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.WriteAsync("x", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(interval, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException || e is IOException)
            {
            }
            return true;
        }
        if (rule.OversizedBytes is { } size)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            if (rule.DeclareLength) context.Response.ContentLength = size;
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            try
            {
                for (long sent = 0; sent < size && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)), context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException || e is IOException)
            {
            }
            return true;
        }
        if (rule.WrongWebSocketAccept && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "websocket";
            context.Response.Headers["Sec-WebSocket-Accept"] = "bm90IHRoZSByaWdodCBhbnN3ZXI=";
            using var stream = await upgrade.UpgradeAsync();
            return true;
        }
        return false;
    }

    public static IApplicationBuilder UseFaultInjection(this IApplicationBuilder app, FaultInjector faults) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (path.StartsWith("/_emulator", StringComparison.Ordinal))
            {
                await next();
                return;
            }
            faults.Record(context.Request.Method, path, context.Connection.RemotePort);
            var rule = faults.Take(context.Request.Method, path);
            if (rule == null)
            {
                await next();
                return;
            }
            if (rule.Delay > TimeSpan.Zero)
            {
                try { await Task.Delay(rule.Delay, context.RequestAborted); }
                catch (OperationCanceledException) { return; }
            }
            if (rule.Drop)
            {
                if (rule.AfterHandler)
                {
                    // Run the real handler into a throwaway body, then lose the answer.
                    var original = context.Response.Body;
                    context.Response.Body = new MemoryStream();
                    await next();
                    context.Response.Body = original;
                }
                context.Abort();
                return;
            }
            if (await HostileAnswerAsync(context, rule)) return;
            if (rule.MalformedBody)
            {
                context.Response.StatusCode = rule.Status ?? 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{ this is not json");
                return;
            }
            if (rule.Status is { } status)
            {
                context.Response.StatusCode = status;
                if (rule.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString();
                if (rule.Body != null)
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(rule.Body);
                }
                return;
            }
            await next();
        });
}
