using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Http;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.Platform;

/// <summary>A name the console can offer on Tab, with a line that says what it is.</summary>
public sealed class CompletionCandidate
{
    public CompletionCandidate(string value, string description)
    {
        Value = value;
        Description = description;
    }

    public string Value { get; }
    public string Description { get; }
}

/// <summary>
/// Live names for Tab completion: server tokens and functional agents, asked of the platform
/// with the same credential and base URL the command itself would use. Tab must never hang the
/// console or print an error, so each lookup is one attempt bounded by <see cref="Budget"/>, any
/// failure offers nothing, and answers are kept briefly per platform and credential so that
/// pressing Tab again is instant.
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
    public static IReadOnlyList<CompletionCandidate> Find(Kind kind, string? explicitToken, string? explicitBaseUrl, string? installPath, CoreContext context)
    {
        try
        {
            var location = TokenLocation.Resolve(context.Environment, null, installPath, context.CurrentDirectory);
            var target = PlatformUrl.Choose(explicitBaseUrl, context.Environment, () => location.Config);
            var baseUrl = target.Url;
            var credential = PlatformCredential.Resolve(explicitToken, installPath, context, target);
            var key = kind + " " + baseUrl + " " + Fingerprint(credential.Value);
            var now = context.Clock.UtcNow;
            if (Cache.TryGetValue(key, out var cached) && now - cached.At < Freshness) return cached.Candidates;

            var api = new ApiClient(baseUrl, SharedHttpClient.Get(), new RetryOptions { MaxRetries = 0 }, context.Clock);
            var client = new PlatformClient(api, credential);
            // The one bound of the whole lookup: it ends the request, and any wait, at the budget.
            using var deadline = new CancellationTokenSource(Budget);
            var candidates = Task.Run(() => LookUpAsync(kind, client, deadline.Token)).GetAwaiter().GetResult();
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

    private static async Task<IReadOnlyList<CompletionCandidate>> LookUpAsync(Kind kind, PlatformClient client, CancellationToken cancellationToken)
    {
        var candidates = new List<CompletionCandidate>();
        if (kind == Kind.AgentName)
        {
            foreach (var agent in await client.ListAgentsAsync(cancellationToken).ConfigureAwait(false))
                candidates.Add(new CompletionCandidate(agent.Name, agent.Description ?? agent.Name));
            return candidates;
        }
        foreach (var token in await client.ListServerTokensAsync(cancellationToken).ConfigureAwait(false))
        {
            candidates.Add(kind == Kind.ServerTokenId
                ? new CompletionCandidate(token.Id, $"{token.Name} ({token.Id})")
                : new CompletionCandidate(token.Name, $"{token.Name} ({token.Id})"));
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
