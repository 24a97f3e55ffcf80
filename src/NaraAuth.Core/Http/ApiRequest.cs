using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace NaraAuth.Core.Http;

/// <summary>One call to a platform API. A request object, not an HttpRequestMessage, because a retry needs a fresh message.</summary>
public sealed class ApiRequest
{
    /// <summary>The default cap on a response body; far above any answer of the protocol.</summary>
    public const long DefaultMaxResponseBytes = 16L * 1024 * 1024;

    /// <summary>Headers whose value is a credential: never logged, and masked in anything a server says back.</summary>
    private static readonly HashSet<string> CredentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "X-Deployment-Secret", "X-Api-Key", "Api-Key", "X-Auth-Token",
    };

    /// <summary>Form fields that are not secret; every other form value is treated as one.</summary>
    private static readonly HashSet<string> PublicFormFields = new(StringComparer.Ordinal)
    {
        "grant_type", "client_id", "scope", "redirect_uri", "response_type", "audience", "resource",
    };

    private readonly List<string> _secrets = new();

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
    /// <summary>An application/x-www-form-urlencoded body (identity provider endpoints).</summary>
    public IDictionary<string, string>? Form { get; set; }
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>
    /// The flow's time limit on each attempt of this request (what is left of a login wait, a side
    /// check's few seconds): it clips the attempt's timeout (<see cref="RequestTimeouts"/>), even
    /// a longer -TimeoutSec. Null outside a flow.
    /// </summary>
    public TimeSpan? TimeLimit { get; set; }
    /// <summary>The largest body accepted; a longer answer is an error, not an allocation.</summary>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>
    /// Sends the request as a WebSocket upgrade with this Sec-WebSocket-Key. On 101 the
    /// connection is handed to <see cref="OnUpgraded"/> before it is closed.
    /// </summary>
    public string? WebSocketKey { get; set; }
    public Func<HttpResponseHeaders, Stream, CancellationToken, Task>? OnUpgraded { get; set; }

    /// <summary>
    /// Whether a lost response may be retried. Defaults to the HTTP semantics of the method:
    /// POST (a create) is never retried blindly, since the first attempt may have succeeded.
    /// </summary>
    public bool? RetryUnsafe { get; set; }

    public bool IsRetryable => RetryUnsafe ?? IsIdempotent(Method);

    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put
        || method == HttpMethod.Delete || method == HttpMethod.Options || method.Method == "TRACE";

    /// <summary>Another value this call carries that must never be quoted back (e.g. a secret inside a JSON body).</summary>
    public ApiRequest AddSecret(string? secret)
    {
        if (secret != null) _secrets.Add(secret);
        return this;
    }

    /// <summary>Every secret this call sends: the bearer, credential headers, secret form fields and added ones.</summary>
    public IEnumerable<string> Secrets()
    {
        if (Bearer != null) yield return Bearer;
        foreach (var header in Headers)
            if (CredentialHeaders.Contains(header.Key)) yield return header.Value;
        if (Form != null)
            foreach (var field in Form)
                if (!PublicFormFields.Contains(field.Key)) yield return field.Value;
        foreach (var secret in _secrets) yield return secret;
    }

    internal SecretRedactor CreateRedactor()
    {
        var redactor = new SecretRedactor();
        foreach (var secret in Secrets()) redactor.Add(secret);
        return redactor;
    }
}
