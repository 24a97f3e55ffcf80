using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Utilities;

namespace NaraAuth.ApiKeys;

/// <summary>
/// Checks an API key against its hash (docs/protocol.md 4) and says precisely why it fails. The hash
/// is parsed and its cost bounded before scrypt runs, so a hostile hash cannot exhaust memory;
/// the final comparison takes the same time wherever the bytes differ.
/// </summary>
public static class ApiKeyVerifier
{
    public static ApiKeyVerification Verify(string? key, string? hash, ScryptPolicy? policy = null)
    {
        policy ??= ScryptPolicy.Default;
        if (string.IsNullOrEmpty(key)) return new(ApiKeyStatus.EmptyKey, "No API key was given.", null, null, null);
        if (string.IsNullOrEmpty(hash)) return new(ApiKeyStatus.EmptyHash, "No hash was given.", null, null, null);

        var trimmedKey = key!.Trim();
        var keyWhitespace = trimmedKey.Length != key.Length;
        var cleanHash = RemoveWhitespace(hash!);
        var hashWhitespace = cleanHash.Length != hash!.Length;
        if (trimmedKey.Length == 0)
            return new(ApiKeyStatus.EmptyKey, "The API key is only whitespace (" + DescribeWhitespace(key) + ").", null, null, null);
        if (cleanHash.Length == 0)
            return new(ApiKeyStatus.EmptyHash, "The hash is only whitespace (" + DescribeWhitespace(hash) + ").", null, null, null);

        var parsed = PhcScryptString.Parse(cleanHash, policy);
        if (!parsed.Ok)
        {
            // Whitespace in the hash only matters once the rest of it is sound; report the real defect first.
            var note = hashWhitespace ? " (The hash also contains whitespace: " + DescribeWhitespace(hash) + ".)" : string.Empty;
            return new(parsed.Status, parsed.Problem + note, parsed.Algorithm, parsed.Parameters, null);
        }

        var matches = Matches(trimmedKey, parsed);
        if (!keyWhitespace && !hashWhitespace)
            return matches
                ? new(ApiKeyStatus.Match, "The API key matches the hash.", parsed.Algorithm, parsed.Parameters, null)
                : new(ApiKeyStatus.NoMatch, "The API key does not match the hash (the hash is well formed; this is another key's hash, or the key is wrong).", parsed.Algorithm, parsed.Parameters, null);

        var status = keyWhitespace && hashWhitespace ? ApiKeyStatus.KeyAndHashWhitespace
            : keyWhitespace ? ApiKeyStatus.KeyWhitespace : ApiKeyStatus.HashWhitespace;
        var what = new StringBuilder();
        if (keyWhitespace) what.Append("The API key has ").Append(DescribeKeyWhitespace(key)).Append(". ");
        if (hashWhitespace) what.Append("The hash contains ").Append(DescribeWhitespace(hash)).Append(". ");
        var trimmed = keyWhitespace && hashWhitespace ? "key and hash" : keyWhitespace ? "key" : "hash";
        what.Append(matches
            ? $"Without the whitespace, the {trimmed} would match; remove it where the value is stored or pasted."
            : $"Even without the whitespace, the {trimmed} would not match.");
        return new(status, what.ToString(), parsed.Algorithm, parsed.Parameters, matches);
    }

    /// <summary>
    /// <see cref="Verify"/> off the caller's thread, so the wait ends the moment
    /// <paramref name="cancellationToken"/> fires (Ctrl+C). scrypt itself cannot stop halfway: a
    /// cancelled verification finishes in the background, bounded by the policy's work limit, and
    /// its result is discarded.
    /// </summary>
    public static Task<ApiKeyVerification> VerifyAsync(string? key, string? hash, ScryptPolicy? policy, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Seconds of CPU at the policy's limit: a thread of its own, so the thread pool stays free
        // for the continuation that hands Ctrl+C back to the pipeline.
        var work = Task.Factory.StartNew(() => Verify(key, hash, policy), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!cancellationToken.CanBeCanceled) return work;
        var result = new TaskCompletionSource<ApiKeyVerification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => result.TrySetCanceled(cancellationToken));
        work.ContinueWith(done =>
        {
            registration.Dispose();
            if (done.IsFaulted) result.TrySetException(done.Exception!.InnerExceptions);
            else result.TrySetResult(done.Result);
        }, TaskScheduler.Default);
        return result.Task;
    }

    private static bool Matches(string key, ParsedHash parsed)
    {
        var password = Encoding.UTF8.GetBytes(key);
        byte[]? actual = null;
        try
        {
            actual = ApiKeyHasher.Derive(password, parsed.Salt!, parsed.Parameters!, parsed.Hash!.Length);
            // BouncyCastle's Arrays.FixedTimeEquals: the loop always runs over every byte.
            return Arrays.FixedTimeEquals(actual, parsed.Hash);
        }
        finally
        {
            Array.Clear(password, 0, password.Length);
            if (actual != null) Array.Clear(actual, 0, actual.Length);
        }
    }

    private static string RemoveWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) if (!char.IsWhiteSpace(c)) sb.Append(c);
        return sb.ToString();
    }

    private static string DescribeKeyWhitespace(string key)
    {
        var leading = key.Length - key.TrimStart().Length;
        var trailing = key.Length - key.TrimEnd().Length;
        if (leading > 0 && trailing > 0) return "leading " + Kind(key.Substring(0, leading)) + " and trailing " + Kind(key.Substring(key.Length - trailing));
        return leading > 0 ? "leading " + Kind(key.Substring(0, leading)) : "a trailing " + Kind(key.Substring(key.Length - trailing));
    }

    private static string DescribeWhitespace(string text)
    {
        var leading = text.Length - text.TrimStart().Length;
        var trailing = text.Length - text.TrimEnd().Length;
        var inner = 0;
        foreach (var c in text.Trim()) if (char.IsWhiteSpace(c)) inner++;
        var parts = new System.Collections.Generic.List<string>();
        if (leading > 0) parts.Add("leading " + Kind(text.Substring(0, leading)));
        if (inner > 0) parts.Add(inner + " whitespace character(s) inside");
        if (trailing > 0) parts.Add("trailing " + Kind(text.Substring(text.Length - trailing)));
        return string.Join(", ", parts);
    }

    /// <summary>Names whitespace so people recognise where it came from.</summary>
    private static string Kind(string whitespace)
    {
        var newline = whitespace.IndexOf('\n') >= 0 || whitespace.IndexOf('\r') >= 0;
        var other = false;
        foreach (var c in whitespace) if (c != '\n' && c != '\r') other = true;
        if (newline && !other) return whitespace.IndexOf('\r') >= 0 ? "newline (CRLF)" : "newline";
        if (newline) return "whitespace including a newline";
        return whitespace.IndexOf('\t') >= 0 ? "whitespace (tab)" : "whitespace (space)";
    }
}
