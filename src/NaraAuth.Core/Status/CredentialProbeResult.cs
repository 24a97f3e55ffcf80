using System;
using System.Net.Http;

namespace NaraAuth.Core.Status;

public sealed class CredentialProbeResult
{
    public Uri Uri { get; internal set; } = null!;
    public CredentialProbeOutcome Outcome { get; internal set; }
    public int? StatusCode { get; internal set; }
    /// <summary>The server's text: error_description, else detail, else error.</summary>
    public string? ServerReason { get; internal set; }
    /// <summary>Whether a public /health endpoint answered 2xx (only probed when the call was not accepted).</summary>
    public bool? HealthAnswered { get; internal set; }
    public Uri? HealthUri { get; internal set; }
    /// <summary>A sentence for people; never contains the credential.</summary>
    public string Message { get; internal set; } = string.Empty;
}
