using System;
using System.Net.Http;
using System.Text.Json;

namespace NaraAuth.Core.EdgePlane;

/// <summary>What cli-initiate answered (docs/protocol.md 2.1 step 1).</summary>
public sealed class CliLoginStart
{
    public CliLoginStart(Uri authorizeUrl, string cliNonce, DateTimeOffset expiresAt)
    {
        AuthorizeUrl = authorizeUrl;
        CliNonce = cliNonce;
        ExpiresAt = expiresAt;
    }

    public Uri AuthorizeUrl { get; }
    public string CliNonce { get; }
    public DateTimeOffset ExpiresAt { get; }
}
