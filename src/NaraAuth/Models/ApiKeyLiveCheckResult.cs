namespace NaraAuth.Models;

/// <summary>The outcome of Test-ApiKey -Uri: what the live endpoint said about the key or token.</summary>
public sealed class ApiKeyLiveCheckResult
{
    public string Uri { get; internal set; } = string.Empty;
    public ApiKeyLiveResult Result { get; internal set; }
    public bool Accepted { get; internal set; }
    public int? StatusCode { get; internal set; }
    /// <summary>The server's reason (detail or error_description).</summary>
    public string? ServerReason { get; internal set; }
    /// <summary>For a call that was not accepted: whether the public /health endpoint answered.</summary>
    public bool? HealthAnswered { get; internal set; }
    public string? HealthUri { get; internal set; }
    public string Message { get; internal set; } = string.Empty;

    public override string ToString() => $"{Result}: {Message}";
}
