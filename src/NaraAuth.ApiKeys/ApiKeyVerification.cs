using System.Text;
using Org.BouncyCastle.Utilities;

namespace NaraAuth.ApiKeys;

/// <summary>The outcome of checking a key against a secure public hash.</summary>
public sealed class ApiKeyVerification
{
    internal ApiKeyVerification(ApiKeyStatus status, string reason, string? algorithm, ScryptParameters? parameters, bool? trimmedWouldMatch)
    {
        Status = status;
        Reason = reason;
        Algorithm = algorithm;
        Parameters = parameters;
        TrimmedWouldMatch = trimmedWouldMatch;
    }

    public bool IsValid => Status == ApiKeyStatus.Match;
    public ApiKeyStatus Status { get; }
    /// <summary>A sentence for people; never contains the key.</summary>
    public string Reason { get; }
    public string? Algorithm { get; }
    public ScryptParameters? Parameters { get; }
    /// <summary>For the whitespace outcomes: whether the key and hash without the whitespace match.</summary>
    public bool? TrimmedWouldMatch { get; }
}
