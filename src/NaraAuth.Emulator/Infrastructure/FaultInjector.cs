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
}

/// <summary>Faults queued by tests (in-process or through /_emulator/faults), and request counts.</summary>
public sealed class FaultInjector
{
    private readonly List<FaultRule> _rules = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Add(FaultRule rule)
    {
        lock (_rules) _rules.Add(rule);
    }

    public void Clear()
    {
        lock (_rules) _rules.Clear();
        _counts.Clear();
    }

    /// <summary>How many requests reached "METHOD /path" (faulted ones included).</summary>
    public int CountOf(string method, string path) => _counts.TryGetValue(method.ToUpperInvariant() + " " + path, out var n) ? n : 0;

    internal void Record(string method, string path) => _counts.AddOrUpdate(method.ToUpperInvariant() + " " + path, 1, (_, n) => n + 1);

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
    public static IApplicationBuilder UseFaultInjection(this IApplicationBuilder app, FaultInjector faults) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (path.StartsWith("/_emulator", StringComparison.Ordinal))
            {
                await next();
                return;
            }
            faults.Record(context.Request.Method, path);
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
