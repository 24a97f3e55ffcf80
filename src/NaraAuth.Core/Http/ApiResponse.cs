using System;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Http;

/// <summary>
/// A completed HTTP exchange with its body read. <see cref="Body"/> is the raw data for parsing;
/// anything quoted from it in a message goes through <see cref="Quote"/>, which masks every secret
/// the call sent or the module knows and strips control characters.
/// </summary>
public sealed class ApiResponse
{
    public ApiResponse(HttpStatusCode status, string body, HttpResponseHeaders headers, Uri requestUri, SecretRedactor? redactor = null)
    {
        Status = status;
        Body = body;
        Headers = headers;
        RequestUri = requestUri;
        Redactor = redactor ?? SecretRedactor.ForKnownSecrets();
        ReceivedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Masks the secrets of the call that produced this answer.</summary>
    public SecretRedactor Redactor { get; }
    public DateTimeOffset ReceivedAt { get; }

    public HttpStatusCode Status { get; }
    public int StatusCode => (int)Status;
    public string Body { get; }
    public HttpResponseHeaders Headers { get; }
    public Uri RequestUri { get; }
    public bool IsSuccess => StatusCode >= 200 && StatusCode < 300;

    /// <summary>Retry-After as a delay, from either its seconds or its HTTP-date form.</summary>
    public TimeSpan? RetryAfter(DateTimeOffset now) => RetryAfterHeader.Read(Headers.RetryAfter, now);

    /// <summary>The server's explanation (error_description, else detail, else error), safe to quote; null when none.</summary>
    public string? ServerReason => Quote(ErrorBody.Reason(Body));

    /// <summary>The server's error code ("error" field), e.g. access_denied, safe to quote.</summary>
    public string? ErrorCode => Quote(ErrorBody.Code(Body));

    /// <summary>Server text made fit for a message or an output property: secrets masked, control characters gone, length capped.</summary>
    public string? Quote(string? serverText) => DisplayText.Sanitize(Redactor.Redact(serverText));

    /// <summary>A sentence about the server's Retry-After, for errors that end a wait the server asked for.</summary>
    public string RetryAfterSentence()
    {
        var wait = RetryAfter(ReceivedAt);
        return wait is { } w ? $" The server asked to wait {Text.DurationText.Of(w)} (Retry-After) before trying again." : string.Empty;
    }

    /// <summary>Parses the body as JSON or throws a clear protocol error naming the endpoint.</summary>
    public JsonDocument Json()
    {
        try
        {
            return JsonDocument.Parse(string.IsNullOrEmpty(Body) ? "null" : Body);
        }
        catch (JsonException)
        {
            throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                $"The server's answer from {RequestUri.AbsolutePath} is not valid JSON (HTTP {StatusCode}).",
                "Check that the base URL points to the platform, or try again later.", SafeUri.WithoutQuery(RequestUri));
        }
    }

    /// <summary>
    /// Turns a non-success status into the matching error. <paramref name="action"/> names what
    /// was being done ("list server tokens"), so the message reads naturally.
    /// </summary>
    public ApiResponse EnsureSuccess(string action)
    {
        if (IsSuccess) return this;
        throw ToException(action);
    }

    public NaraAuthException ToException(string action)
    {
        var reason = ServerReason;
        var because = reason == null ? string.Empty : $": {reason}";
        var where = SafeUri.WithoutQuery(RequestUri);
        var retryAfter = RetryAfterSentence();
        return StatusCode switch
        {
            401 => new NaraAuthException("Unauthorized", NaraErrorCategory.AuthenticationError,
                Text.DisplayText.EndSentence($"Could not {action}: the server rejected the credential (401){because}"),
                "The credential is expired, revoked or wrong; log in again or use another token.", where),
            403 => new NaraAuthException(ErrorIds.Forbidden, NaraErrorCategory.PermissionDenied,
                Text.DisplayText.EndSentence($"Could not {action}: permission denied (403){because}"),
                "Ask an administrator of the organization for the required role.", where),
            404 => new NaraAuthException(ErrorIds.NotFound, NaraErrorCategory.ObjectNotFound,
                Text.DisplayText.EndSentence($"Could not {action}: not found (404){because}"), null, where),
            407 => new NaraAuthException("ProxyAuthenticationRequired", NaraErrorCategory.AuthenticationError,
                $"Could not {action}: the proxy requires authentication (407).",
                "Pass -ProxyCredential, or configure the system proxy's credentials.", where),
            429 => new NaraAuthException("TooManyRequests", NaraErrorCategory.LimitsExceeded,
                Text.DisplayText.EndSentence($"Could not {action}: the server is throttling requests (429){because}") + retryAfter,
                "Wait a moment and try again.", where),
            >= 500 => new NaraAuthException("ServerError", NaraErrorCategory.ResourceUnavailable,
                Text.DisplayText.EndSentence($"Could not {action}: the server failed (HTTP {StatusCode}){because}") + retryAfter,
                "Try again later.", where),
            _ => new NaraAuthException("UnexpectedStatus", NaraErrorCategory.ProtocolError,
                Text.DisplayText.EndSentence($"Could not {action}: unexpected HTTP {StatusCode}{because}"), null, where),
        };
    }
}

