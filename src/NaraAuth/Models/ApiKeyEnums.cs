namespace NaraAuth.Models;

/// <summary>The outcome of checking an API key against its hash; each has its own Reason.</summary>
public enum ApiKeyStatus
{
    Match,
    NoMatch,
    KeyWhitespace,
    HashWhitespace,
    KeyAndHashWhitespace,
    EmptyKey,
    EmptyHash,
    NotBase64,
    NotPhcString,
    UnknownAlgorithm,
    MalformedParameters,
    MalformedSalt,
    MalformedHash,
    ParametersTooLarge,
}

/// <summary>What a live endpoint said about a key or token (Test-ApiKey -Uri).</summary>
public enum ApiKeyLiveResult
{
    /// <summary>2xx: the server took it.</summary>
    Accepted,
    /// <summary>401 or 403: the server refused it.</summary>
    Rejected,
    /// <summary>Another status: no verdict on the key.</summary>
    Failed,
    /// <summary>No HTTP answer: the server is down or unreachable.</summary>
    Unreachable,
}
