using System;
using System.Security;

namespace NaraAuth.Models;

/// <summary>
/// A server token New-ServerToken just created: everything but the secret, which the twins below
/// carry. The platform returns the secret only this once: store it now (e.g. in a pipeline secret variable).
/// </summary>
public abstract class NewServerTokenResultBase
{
    public string Id { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;
    public DateTimeOffset? CreatedAt { get; internal set; }
    public string BaseUrl { get; internal set; } = string.Empty;
    /// <summary>Reset-ServerToken: the id of the token this one replaces (revoked unless an error said otherwise); null from New-ServerToken.</summary>
    public string? ReplacedId { get; internal set; }
    /// <summary>Always true: a reminder that this object is the only copy of the secret.</summary>
    public bool ShownOnce => true;

    // Never the secret: ToString ends up in logs and transcripts.
    public override string ToString() => $"{Name} ({Id})";
}

/// <summary>New-ServerToken: the secret as a SecureString; it cannot be read from the platform again.</summary>
public sealed class NewServerTokenResult : NewServerTokenResultBase
{
    public SecureString Token { get; internal set; } = null!;
}

/// <summary>New-ServerToken -AsPlainText: the same, with the secret (nara_tk_...) as a string.</summary>
public sealed class NewServerTokenPlainTextResult : NewServerTokenResultBase
{
    public string Token { get; internal set; } = string.Empty;
}
