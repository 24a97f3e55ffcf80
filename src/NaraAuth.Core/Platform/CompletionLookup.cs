using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Platform;

/// <summary>
/// Live names for Tab completion: server tokens and functional agents, asked of the platform
/// with the same credential and base URL the command itself would use (<see cref="PlatformCall"/>),
/// through the -Proxy, -ProxyCredential and -TimeoutSec typed on the line. Tab must never hang
/// the console or print an error, so each lookup is one attempt bounded by <see cref="Budget"/>,
/// any failure offers nothing, and answers are kept briefly per platform, proxy and credential
/// so that pressing Tab again is instant.
/// </summary>
public static class CompletionLookup
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, CachedAnswer> Cache = new(StringComparer.Ordinal);

    public enum Kind
    {
        ServerTokenName,
        ServerTokenId,
        AgentName,
    }

    /// <param name="explicitToken">-Token as typed so far (plain text), or null.</param>
    /// <param name="explicitBaseUrl">-BaseUrl as typed so far, or null.</param>
    /// <param name="installPath">-InstallPath as typed so far, or null.</param>
    /// <param name="network">-Proxy, -ProxyCredential and -TimeoutSec as typed so far; null for the system proxy.</param>
    public static IReadOnlyList<CompletionCandidate> Find(Kind kind, string? explicitToken, string? explicitBaseUrl, string? installPath, CoreContext context, NetworkSettings? network = null)
    {
        try
        {
            var target = PlatformCall.Resolve(explicitToken, explicitBaseUrl, installPath, context);
            var key = kind + " " + target.BaseUrl + " " + (network?.Proxy?.Address.ToString() ?? "-") + " " + Fingerprint(target.Credential.Value);
            var now = context.Clock.UtcNow;
            if (Cache.TryGetValue(key, out var cached) && now - cached.At < Freshness) return cached.Candidates;

            // No client is given: each request picks the one for the proxy of the settings made current below.
            var api = new ApiClient(target.BaseUrl, retry: new RetryOptions { MaxRetries = 0 }, clock: context.Clock);
            var client = new PlatformClient(api, target.Credential);
            var redactor = SecretRedactor.ForKnownSecrets().Add(target.Credential.Value);
            // The one bound of the whole lookup: it ends the request, and any wait, at the budget.
            using var deadline = new CancellationTokenSource(Budget);
            var candidates = NetworkSettings.Run(network, () => Task.Run(() => LookUpAsync(kind, client, redactor, deadline.Token))).GetAwaiter().GetResult();
            Cache[key] = new CachedAnswer(candidates, now);
            return candidates;
        }
        catch (Exception)
        {
            // Completion is a convenience: no credential, an unreachable platform or a refusal
            // simply offers nothing, and the command itself reports the problem when it runs.
            return Array.Empty<CompletionCandidate>();
        }
    }

    /// <summary>Forgets every cached answer (a token was created or revoked).</summary>
    public static void Forget() => Cache.Clear();

    private static async Task<IReadOnlyList<CompletionCandidate>> LookUpAsync(Kind kind, PlatformClient client, SecretRedactor redactor, CancellationToken cancellationToken)
    {
        var candidates = new List<CompletionCandidate>();
        if (kind == Kind.AgentName)
        {
            foreach (var agent in await client.ListAgentsAsync(cancellationToken).ConfigureAwait(false))
                candidates.Add(new CompletionCandidate(agent.Name, redactor.Redact(agent.Description ?? agent.Name) ?? agent.Name));
            return candidates;
        }
        foreach (var token in await client.ListServerTokensAsync(cancellationToken).ConfigureAwait(false))
        {
            var description = redactor.Redact($"{token.Name} ({token.Id})") ?? token.Id;
            candidates.Add(new CompletionCandidate(kind == Kind.ServerTokenId ? token.Id : token.Name, description));
        }
        return candidates;
    }

    /// <summary>The cache is keyed by a hash of the credential, never the credential itself.</summary>
    private static string Fingerprint(string secret)
    {
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(secret)));
    }

    private sealed class CachedAnswer
    {
        public CachedAnswer(IReadOnlyList<CompletionCandidate> candidates, DateTimeOffset at)
        {
            Candidates = candidates;
            At = at;
        }

        public IReadOnlyList<CompletionCandidate> Candidates { get; }
        public DateTimeOffset At { get; }
    }
}
