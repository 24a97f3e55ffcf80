using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Status;

/// <summary>
/// Live check of a key or token (Test-ApiKey -Uri): one authenticated GET, and when it is not
/// accepted, an unauthenticated GET of the public /health endpoint so that "wrong key" and
/// "server down" read differently (NodeTool workers and Edge Server both publish /health).
/// </summary>
public static class CredentialProbe
{
    /// <param name="reporter">Hears of the retry of the check.</param>
    /// <param name="credential">The key or token as given: whitespace around it is removed (and reported), an empty or broken one refused.</param>
    public static async Task<CredentialProbeResult> CheckAsync(string endpoint, string credential, string? healthEndpoint,
        CancellationToken cancellationToken, IReporter? reporter = null)
    {
        credential = ProbeCredentialText.Prepare(credential, reporter ?? Reporter.None);
        var uri = ParseEndpoint(endpoint, "-Uri");
        var explicitHealth = healthEndpoint == null ? null : ParseEndpoint(healthEndpoint, "-HealthUri");
        var result = new CredentialProbeResult { Uri = uri };
        // One quick retry absorbs a blip; each attempt has the call's request timeout (-TimeoutSec, else the default).
        var client = new ApiClient(Root(uri), retry: new RetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2) }, reporter: reporter);
        ApiResponse response;
        try
        {
            // A key may travel in the query too: a server quoting it back gets it masked.
            var check = new ApiRequest(HttpMethod.Get, uri.PathAndQuery) { Bearer = credential };
            foreach (var value in SafeUri.QueryValues(uri)) check.AddSecret(value);
            response = await client.SendAsync(check, cancellationToken).ConfigureAwait(false);
        }
        catch (NaraAuthException e) when (e.IsTransient)
        {
            result.Outcome = CredentialProbeOutcome.Unreachable;
            result.HealthAnswered = false;
            result.Message = $"No answer from {SafeUri.Origin(uri)}: the server is down or the address is wrong, so the credential was not checked. ({e.Message})";
            return result;
        }

        result.StatusCode = response.StatusCode;
        result.ServerReason = response.ServerReason;
        if (response.IsSuccess)
        {
            result.Outcome = CredentialProbeOutcome.Accepted;
            result.Message = $"The server accepted the credential (HTTP {response.StatusCode}).";
            return result;
        }

        result.Outcome = response.StatusCode == 401 || response.StatusCode == 403 ? CredentialProbeOutcome.Rejected : CredentialProbeOutcome.Failed;
        var health = await ProbeHealthAsync(uri, explicitHealth, cancellationToken).ConfigureAwait(false);
        result.HealthAnswered = health != null;
        result.HealthUri = health ?? explicitHealth;
        var because = result.ServerReason == null ? string.Empty : $": {result.ServerReason}";
        var healthText = health != null
            ? $" The server is up ({health.AbsolutePath} answered)"
            : " No public /health endpoint answered";
        result.Message = result.Outcome == CredentialProbeOutcome.Rejected
            ? $"The server rejected the credential (HTTP {response.StatusCode}){because}.{healthText}" + (health != null
                ? ", so the key or token itself is wrong, expired or not configured on the server."
                : ", so the server may be unhealthy or behind a proxy that refuses the call.")
            : $"The endpoint answered HTTP {response.StatusCode}{because}; that is no verdict on the credential.{healthText}.";
        // The NodeTool worker's text for a missing header (docs/protocol.md 3); the check always sends one.
        if (result.ServerReason?.IndexOf("Authorization header required", StringComparison.OrdinalIgnoreCase) >= 0)
            result.Message += " The Authorization header was sent but did not reach the server: a proxy or load balancer in front of it drops the header.";
        return result;
    }

    /// <summary>
    /// Tries "health" beside the endpoint, then in each parent folder up to the root, so a worker
    /// mounted under a prefix (e.g. /worker/v1/models -> /worker/health) is found too.
    /// </summary>
    private static async Task<Uri?> ProbeHealthAsync(Uri endpoint, Uri? explicitHealth, CancellationToken cancellationToken)
    {
        var client = new ApiClient(Root(endpoint), retry: new RetryOptions { MaxRetries = 0 });
        foreach (var candidate in explicitHealth != null ? new[] { explicitHealth } : HealthCandidates(endpoint))
        {
            try
            {
                var probe = explicitHealth != null ? new ApiClient(Root(candidate), retry: new RetryOptions { MaxRetries = 0 }) : client;
                var response = await probe.SendAsync(new ApiRequest(HttpMethod.Get, candidate.PathAndQuery) { TimeLimit = HealthTimeLimit }, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccess) return candidate;
            }
            catch (NaraAuthException e) when (e.IsTransient)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// The health probe's time limit: it only explains a refusal the check already has, so each
    /// probe is a side check of a few seconds, even when -TimeoutSec gives the check itself longer.
    /// </summary>
    private static readonly TimeSpan HealthTimeLimit = TimeSpan.FromSeconds(5);

    internal static IEnumerable<Uri> HealthCandidates(Uri endpoint)
    {
        var path = endpoint.AbsolutePath;
        var folder = path.Substring(0, path.LastIndexOf('/') + 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var candidate = folder + "health";
            if (seen.Add(candidate) && candidate != path) yield return new Uri(Root(endpoint), candidate);
            if (folder == "/") yield break;
            folder = folder.Substring(0, folder.TrimEnd('/').LastIndexOf('/') + 1);
        }
    }

    private static Uri ParseEndpoint(string endpoint, string settingName)
    {
        // Same rule as every base URL: https, or http only to loopback, before the credential is sent.
        BaseUrlPolicy.Parse(endpoint, settingName);
        return new Uri(endpoint.Trim(), UriKind.Absolute);
    }

    private static Uri Root(Uri uri) => new(SafeUri.Origin(uri) + "/");
}
