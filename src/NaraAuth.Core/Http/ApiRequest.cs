using System;
using System.Collections.Generic;
using System.Net.Http;

namespace NaraAuth.Core.Http;

/// <summary>One call to a platform API. A request object, not an HttpRequestMessage, because a retry needs a fresh message.</summary>
public sealed class ApiRequest
{
    public ApiRequest(HttpMethod method, string path)
    {
        Method = method;
        Path = path;
    }

    public HttpMethod Method { get; }
    /// <summary>Path and query relative to the base URL, e.g. "/api/tokens".</summary>
    public string Path { get; }
    /// <summary>Sent as "Authorization: Bearer ...". Never logged.</summary>
    public string? Bearer { get; set; }
    /// <summary>A JSON body, already serialized.</summary>
    public string? JsonBody { get; set; }
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>Per-attempt timeout; null uses the client's default.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Whether a lost response may be retried. Defaults to the HTTP semantics of the method:
    /// POST (a create) is never retried blindly, since the first attempt may have succeeded.
    /// </summary>
    public bool? RetryUnsafe { get; set; }

    public bool IsRetryable => RetryUnsafe ?? IsIdempotent(Method);

    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put
        || method == HttpMethod.Delete || method == HttpMethod.Options || method.Method == "TRACE";
}
