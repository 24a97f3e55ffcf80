using System.Security;

namespace NaraAuth.Models;

/// <summary>
/// A new Edge Server API key (New-ApiKey): everything but the private key, which the twins below
/// carry (SecureString, or string with -AsPlainText). Its format view never shows it.
/// </summary>
public abstract class NewApiKeyResultBase
{
    /// <summary>The identity name given with -Id, if any.</summary>
    public string? Id { get; internal set; }
    /// <summary>The secure public hash for the server's configuration (not secret).</summary>
    public string Hash { get; internal set; } = string.Empty;
    public string Algorithm { get; internal set; } = "scrypt";
    public ApiKeyParameters Parameters { get; internal set; } = null!;
    /// <summary>With -Id: a ready-to-paste Identity for the Edge Server's YAML configuration.</summary>
    public string? ConfigSnippet { get; internal set; }

    public override string ToString() => $"{Algorithm} {Parameters} {Hash}";
}

/// <summary>New-ApiKey: the private key clients send as "Authorization: Bearer ..." as a SecureString.</summary>
public sealed class NewApiKeyResult : NewApiKeyResultBase
{
    public SecureString ApiKey { get; internal set; } = null!;
}

/// <summary>New-ApiKey -AsPlainText: the same, with the private key as a string.</summary>
public sealed class NewApiKeyPlainTextResult : NewApiKeyResultBase
{
    public string ApiKey { get; internal set; } = string.Empty;
}
