namespace NaraAuth.Core.Status;

/// <summary>What a credential is good for right now, worst first when several apply.</summary>
public enum CredentialState
{
    /// <summary>Present, readable, protected, not expired (and, with -Verify, accepted online).</summary>
    Valid,
    /// <summary>Present and protected, but its expiry has passed.</summary>
    Expired,
    /// <summary>Nothing is stored where NaraAuth would look.</summary>
    Missing,
    /// <summary>Other users could read or replace the file.</summary>
    Unprotected,
    /// <summary>The file exists but cannot be read or is not what it should be.</summary>
    Invalid,
    /// <summary>-Verify: the server refused it.</summary>
    Rejected,
    /// <summary>-Verify: the server could not be asked (unreachable, an error that says nothing about the credential).</summary>
    Unverified,
}
