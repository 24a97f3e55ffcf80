using System;

namespace NaraAuth.Core.Status;

/// <summary>One credential this user has on this machine: who, which organization, until when, where, and how well kept. Holds no secret.</summary>
public sealed class CredentialStatus
{
    public CredentialStatus(CredentialKind kind, string? path)
    {
        Kind = kind;
        Path = path;
    }

    public CredentialKind Kind { get; }
    public CredentialState State { get; set; } = CredentialState.Valid;
    /// <summary>The user or deployment it stands for (subject, email, deployment id).</summary>
    public string? Subject { get; set; }
    public string? Email { get; set; }
    public string? Organization { get; set; }
    /// <summary>Where it is used: the platform, EdgePlane server or OIDC issuer.</summary>
    public string? Issuer { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>The file, or null for a credential held in environment variables.</summary>
    public string? Path { get; set; }
    /// <summary>Which rule found it (a TokenPathSource name, an environment variable).</summary>
    public string? FoundBy { get; set; }
    /// <summary>The file owner's account name.</summary>
    public string? Owner { get; set; }
    /// <summary>With a runtime account: whether it owns the file; else null.</summary>
    public bool? OwnerMatchesRuntimeAccount { get; set; }
    /// <summary>True when the file is owner-only in a safe folder; null when there is no file.</summary>
    public bool? IsProtected { get; set; }
    /// <summary>-Verify: true when accepted online, false when refused; null when not checked or not checkable.</summary>
    public bool? VerifiedOnline { get; set; }
    /// <summary>Why the state is not Valid (or what -Verify could not do), naming the file; never the content.</summary>
    public string? Problem { get; set; }

    /// <summary>What a person must do about it, in one sentence; null when nothing (see <see cref="CredentialActions"/>).</summary>
    public string? Action { get; set; }

    /// <summary>Moves to <paramref name="state"/> when it is worse than the current one, keeping the first reason.</summary>
    internal void Downgrade(CredentialState state, string? problem)
    {
        if (Severity(state) <= Severity(State)) return;
        State = state;
        Problem = problem ?? Problem;
    }

    private static int Severity(CredentialState state) => state switch
    {
        CredentialState.Valid => 0,
        CredentialState.Unverified => 1,
        CredentialState.Expired => 2,
        CredentialState.Rejected => 3,
        CredentialState.Unprotected => 4,
        CredentialState.Invalid => 5,
        CredentialState.Missing => 6,
        _ => 0,
    };
}
