using System;

namespace NaraAuth.Models;

/// <summary>
/// One credential this user has on this machine, as Get-NaraAuthStatus reports it: who, which
/// organization, until when, which file, whose file, and whether it is protected. Holds no secret.
/// </summary>
public sealed class CredentialStatusInfo
{
    public CredentialKind Kind { get; internal set; }
    public CredentialState State { get; internal set; }
    /// <summary>The user (subject) or deployment id it stands for.</summary>
    public string? Subject { get; internal set; }
    public string? Email { get; internal set; }
    public string? Organization { get; internal set; }
    /// <summary>The platform, EdgePlane server or OIDC issuer it belongs to.</summary>
    public string? Issuer { get; internal set; }
    public DateTimeOffset? ExpiresOn { get; internal set; }
    /// <summary>The file; null for credentials held in environment variables.</summary>
    public string? Path { get; internal set; }
    /// <summary>Which rule found it: a token path rule, an environment variable, a config file, an OIDC client id.</summary>
    public string? FoundBy { get; internal set; }
    /// <summary>The account that owns the file.</summary>
    public string? Owner { get; internal set; }
    /// <summary>With -RuntimeAccount: whether that account owns the file; else null.</summary>
    public bool? OwnerMatchesRuntimeAccount { get; internal set; }
    /// <summary>True when the file is owner-only in a folder no other user can write; null without a file.</summary>
    public bool? IsProtected { get; internal set; }
    /// <summary>-Verify: accepted (true) or refused (false) online; null when not checked or not checkable.</summary>
    public bool? VerifiedOnline { get; internal set; }
    /// <summary>Why the state is not Valid, or what -Verify could not check.</summary>
    public string? Problem { get; internal set; }
    /// <summary>What to do about it, in one sentence (renew, fix the file, rotate); null when nothing.</summary>
    public string? Action { get; internal set; }
    /// <summary>True when <see cref="Action"/> says something must be done.</summary>
    public bool NeedsAction => Action != null;

    public override string ToString() => $"{Kind}: {State}" + (Path == null ? string.Empty : $" ({Path})");
}
