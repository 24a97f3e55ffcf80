using System;
using System.Text;
using System.Text.RegularExpressions;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Builds the security descriptor a secret file or folder gets on Windows: owned by the current
/// user, protected from inheritance (the P flag), one full-control entry for that user and
/// nothing else. Kept as SDDL so the exact rule can be unit-tested on any OS; applying it is
/// done by <see cref="WindowsAclApplier"/>, which only Windows can run.
/// For a runtime account the same shape names that account instead: it owns the file and alone
/// has full control, Administrators only when asked; the folder also lets the writer replace
/// the files in it (full control on the folder itself, not inherited), never read them.
/// </summary>
public static class WindowsOwnerOnlyAcl
{
    private static readonly Regex SidPattern = new(@"^S-1-[0-9]+(-[0-9]+)+$", RegexOptions.CultureInvariant);

    /// <summary>SDDL for a file: owner-only full control, inheritance blocked.</summary>
    public static string ForFile(string ownerSid) => Build(ownerSid, inheritToChildren: false);

    /// <summary>SDDL for a folder: as for a file, and new children inherit the same single entry.</summary>
    public static string ForDirectory(string ownerSid) => Build(ownerSid, inheritToChildren: true);

    /// <summary>SDDL for a file the runtime account reads: its own, inheritance blocked, Administrators only when asked.</summary>
    public static string ForRuntimeFile(string runtimeSid, bool allowAdministrators)
    {
        var sddl = new StringBuilder(Build(Checked(runtimeSid, nameof(runtimeSid)), inheritToChildren: false));
        if (allowAdministrators) sddl.Append("(A;;FA;;;").Append(WindowsAccountSid.Administrators).Append(')');
        return sddl.ToString();
    }

    /// <summary>
    /// SDDL for a folder created for the runtime account: it owns the folder and its entry is
    /// inherited; the writer may add, replace and delete entries in the folder itself (so it can
    /// renew the file later), but the entry does not reach the files; Administrators only when asked.
    /// </summary>
    public static string ForRuntimeDirectory(string runtimeSid, string writerSid, bool allowAdministrators)
    {
        var sddl = new StringBuilder(Build(Checked(runtimeSid, nameof(runtimeSid)), inheritToChildren: true));
        if (!string.Equals(Checked(writerSid, nameof(writerSid)), runtimeSid, StringComparison.OrdinalIgnoreCase))
            sddl.Append("(A;;FA;;;").Append(writerSid).Append(')');
        if (allowAdministrators) sddl.Append("(A;OICI;FA;;;").Append(WindowsAccountSid.Administrators).Append(')');
        return sddl.ToString();
    }

    /// <summary>The same descriptor without its owner, for a writer that may not hand ownership over.</summary>
    public static string WithoutOwner(string sddl)
    {
        var dacl = sddl.IndexOf("D:", StringComparison.Ordinal);
        return dacl > 0 ? sddl.Substring(dacl) : sddl;
    }

    private static string Checked(string sid, string parameter)
    {
        if (sid == null || !SidPattern.IsMatch(sid))
            throw new ArgumentException("Not a security identifier in S-1-... form.", parameter);
        return sid;
    }

    private static string Build(string ownerSid, bool inheritToChildren)
    {
        Checked(ownerSid, nameof(ownerSid));
        var flags = inheritToChildren ? "OICI" : string.Empty;
        return $"O:{ownerSid}D:P(A;{flags};FA;;;{ownerSid})";
    }
}
