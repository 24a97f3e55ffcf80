using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Json;

namespace NaraAuth.Core.Http;

/// <summary>
/// One authenticated JSON call on a path of an API, as Invoke-NaraRestMethod and
/// Invoke-EdgePlaneRestMethod make it: the bearer goes only to the client's base URL (the
/// <see cref="ApiClient"/> checks the origin and refuses redirects), idempotent methods retry,
/// a POST or PATCH is sent once unless the caller allows a retry, and the answer comes back as
/// plain JSON values with every string redacted of the secrets the call knows.
/// </summary>
public static class RestCall
{
    /// <summary>Sends the call and returns the answer, whatever its status; the caller turns a failure into its own error.</summary>
    public static Task<ApiResponse> SendAsync(ApiClient api, string bearer, HttpMethod method, string path, string? jsonBody,
        bool retryUnsafe, CancellationToken cancellationToken)
    {
        var request = new ApiRequest(method, path)
        {
            Bearer = bearer,
            JsonBody = jsonBody,
        };
        if (retryUnsafe) request.RetryUnsafe = true;
        return api.SendAsync(request, cancellationToken);
    }

    /// <summary>GET, HEAD and OPTIONS only read; every other method may change something on the server.</summary>
    public static bool ChangesState(HttpMethod method) =>
        !(method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options);

    /// <summary>What the verbose line and errors call this call: method and path without the query.</summary>
    public static string Describe(HttpMethod method, string path) => $"{method.Method} {path.Split('?')[0]}";

    /// <summary>
    /// The body as plain JSON values; a body that is not JSON comes back as its text. Every
    /// string is redacted: a server that echoes the credential of the call does not put it into
    /// the output.
    /// </summary>
    public static object? ParseBody(ApiResponse response)
    {
        if (string.IsNullOrWhiteSpace(response.Body)) return null;
        try
        {
            return RedactStrings(PlainJson.Parse(response.Body), response.Redactor);
        }
        catch (JsonException)
        {
            return response.Redactor.Redact(response.Body);
        }
    }

    private static object? RedactStrings(object? value, SecretRedactor redactor)
    {
        switch (value)
        {
            case string text:
                return redactor.Redact(text);
            case PlainJsonObject obj:
                for (var i = 0; i < obj.Count; i++)
                    obj[i] = new KeyValuePair<string, object?>(redactor.Redact(obj[i].Key)!, RedactStrings(obj[i].Value, redactor));
                return obj;
            case List<object?> list:
                for (var i = 0; i < list.Count; i++) list[i] = RedactStrings(list[i], redactor);
                return list;
            default:
                return value;
        }
    }
}
