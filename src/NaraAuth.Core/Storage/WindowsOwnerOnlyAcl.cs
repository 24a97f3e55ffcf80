using System;
using System.Text.RegularExpressions;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Builds the security descriptor a secret file or folder gets on Windows: owned by the current
/// user, protected from inheritance (the P flag), one full-control entry for that user and
/// nothing else. Kept as SDDL so the exact rule can be unit-tested on any OS; applying it is
/// done by <see cref="WindowsAclApplier"/>, which only Windows can run.
/// </summary>
public static class WindowsOwnerOnlyAcl
{
    private static readonly Regex SidPattern = new(@"^S-1-[0-9]+(-[0-9]+)+$", RegexOptions.CultureInvariant);

    /// <summary>SDDL for a file: owner-only full control, inheritance blocked.</summary>
    public static string ForFile(string ownerSid) => Build(ownerSid, inheritToChildren: false);

    /// <summary>SDDL for a folder: as for a file, and new children inherit the same single entry.</summary>
    public static string ForDirectory(string ownerSid) => Build(ownerSid, inheritToChildren: true);

    private static string Build(string ownerSid, bool inheritToChildren)
    {
        if (ownerSid == null || !SidPattern.IsMatch(ownerSid))
            throw new ArgumentException("Not a security identifier in S-1-... form.", nameof(ownerSid));
        var flags = inheritToChildren ? "OICI" : string.Empty;
        return $"O:{ownerSid}D:P(A;{flags};FA;;;{ownerSid})";
    }
}
