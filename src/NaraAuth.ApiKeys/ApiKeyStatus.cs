namespace NaraAuth.ApiKeys;

/// <summary>Every outcome of checking a key against its hash; each has its own Reason text.</summary>
public enum ApiKeyStatus
{
    /// <summary>The key matches the hash.</summary>
    Match,
    /// <summary>The hash is well formed, but the key does not match it.</summary>
    NoMatch,
    /// <summary>The key has leading or trailing whitespace (a newline from a file, a space from a paste).</summary>
    KeyWhitespace,
    /// <summary>The hash contains whitespace (base64 decoders would silently skip it).</summary>
    HashWhitespace,
    /// <summary>Both the key and the hash contain whitespace.</summary>
    KeyAndHashWhitespace,
    /// <summary>No key was given.</summary>
    EmptyKey,
    /// <summary>No hash was given.</summary>
    EmptyHash,
    /// <summary>The hash is not standard base64.</summary>
    NotBase64,
    /// <summary>The hash is base64, but what it decodes to is not a PHC string ($alg$params$salt$hash).</summary>
    NotPhcString,
    /// <summary>The PHC string names another algorithm than scrypt.</summary>
    UnknownAlgorithm,
    /// <summary>The ln, r, p segment is missing, repeated, unknown or out of range.</summary>
    MalformedParameters,
    /// <summary>The salt is not unpadded base64, or shorter than 16 bytes.</summary>
    MalformedSalt,
    /// <summary>The stored hash is not unpadded base64, or not 32 bytes.</summary>
    MalformedHash,
    /// <summary>The parameters would need more memory or time than a verification may take.</summary>
    ParametersTooLarge,
}
