namespace NaraAuth.Models;

/// <summary>
/// A new Edge Server API key (New-ApiKey). ApiKey is a SecureString, or a string with
/// -AsPlainText; its format view never shows it.
/// </summary>
public sealed class NewApiKeyResult
{
    /// <summary>The identity name given with -Id, if any.</summary>
    public string? Id { get; internal set; }
    /// <summary>The private key clients send as "Authorization: Bearer ...": SecureString, or String with -AsPlainText.</summary>
    public object ApiKey { get; internal set; } = null!;
    /// <summary>The secure public hash for the server's configuration (not secret).</summary>
    public string Hash { get; internal set; } = string.Empty;
    public string Algorithm { get; internal set; } = "scrypt";
    public ApiKeyParameters Parameters { get; internal set; } = null!;
    /// <summary>With -Id: a ready-to-paste Identity for the Edge Server's YAML configuration.</summary>
    public string? ConfigSnippet { get; internal set; }

    public override string ToString() => $"{Algorithm} {Parameters} {Hash}";
}
