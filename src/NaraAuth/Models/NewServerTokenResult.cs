using System;
using System.Security;

namespace NaraAuth.Models;

/// <summary>
/// A server token New-ServerToken just created. <see cref="Token"/> holds the secret, which the
/// platform returns only this once: store it now (e.g. in a pipeline secret variable).
/// </summary>
public sealed class NewServerTokenResult
{
    public string Id { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;
    public DateTime? CreatedAt { get; internal set; }
    public string BaseUrl { get; internal set; } = string.Empty;
    /// <summary>The secret as a SecureString; it cannot be read from the platform again.</summary>
    public SecureString? Token { get; internal set; }
    /// <summary>Always true: a reminder that this object is the only copy of the secret.</summary>
    public bool ShownOnce => true;

    public override string ToString() => $"{Name} ({Id})";
}

/// <summary>New-ServerToken -AsPlainText: the same, with <see cref="Token"/> as a string.</summary>
public sealed class NewServerTokenPlainTextResult
{
    public string Id { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;
    public DateTime? CreatedAt { get; internal set; }
    public string BaseUrl { get; internal set; } = string.Empty;
    /// <summary>The secret in clear text (nara_tk_...); it cannot be read from the platform again.</summary>
    public string Token { get; internal set; } = string.Empty;
    /// <summary>Always true: a reminder that this object is the only copy of the secret.</summary>
    public bool ShownOnce => true;

    // Never the secret: ToString ends up in logs and transcripts.
    public override string ToString() => $"{Name} ({Id})";
}
