using System;
using System.Collections.Generic;
using System.Globalization;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The folder rule of <see cref="UnixFolderSafety"/> for Windows ACLs, judged on the folder's
/// security descriptor in SDDL form so that it can be unit-tested on any OS with synthetic
/// descriptors; reading the real descriptor is <see cref="WindowsAclApplier"/>'s job.
/// Unsafe: an owner other than this user, SYSTEM, Administrators or TrustedInstaller (an owner can
/// rewrite the ACL), or an allow entry that applies to the folder itself (not inherit-only) and
/// lets another account create, delete or rename entries in the target folder, or delete,
/// re-permission or take over a folder on the way.
/// </summary>
public static class WindowsFolderAcl
{
    private const uint AddFile = 0x2;
    private const uint AddSubdirectory = 0x4;
    private const uint DeleteChild = 0x40;
    private const uint Delete = 0x10000;
    private const uint WriteDac = 0x40000;
    private const uint WriteOwner = 0x80000;
    private const uint GenericAll = 0x10000000;
    private const uint GenericWrite = 0x40000000;

    /// <summary>Rights on the folder the secret goes into that let another account swap it.</summary>
    public const uint TargetWriteRights = AddFile | AddSubdirectory | DeleteChild | Delete | WriteDac | WriteOwner | GenericAll | GenericWrite;

    /// <summary>Rights on a folder on the way that let another account move or re-permission what is below.</summary>
    public const uint AncestorWriteRights = DeleteChild | Delete | WriteDac | WriteOwner | GenericAll;

    private const string System = "S-1-5-18";
    private const string Administrators = "S-1-5-32-544";
    private const string TrustedInstaller = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";
    // CREATOR OWNER and OWNER RIGHTS stand for whoever owns the object, which is judged on its own.
    private const string CreatorOwner = "S-1-3-0";
    private const string OwnerRights = "S-1-3-4";

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["SY"] = System, ["BA"] = Administrators, ["CO"] = CreatorOwner, ["OW"] = OwnerRights,
        ["BU"] = "S-1-5-32-545", ["AU"] = "S-1-5-11", ["WD"] = "S-1-1-0", ["AN"] = "S-1-5-7",
        ["IU"] = "S-1-5-4", ["NU"] = "S-1-5-2", ["LS"] = "S-1-5-19", ["NS"] = "S-1-5-20",
        ["BG"] = "S-1-5-32-546", ["PU"] = "S-1-5-32-547", ["AC"] = "S-1-15-2-1",
    };

    private static readonly Dictionary<string, uint> RightCodes = new(StringComparer.Ordinal)
    {
        ["GA"] = GenericAll, ["GR"] = 0x80000000, ["GW"] = GenericWrite, ["GX"] = 0x20000000,
        ["RC"] = 0x20000, ["SD"] = Delete, ["WD"] = WriteDac, ["WO"] = WriteOwner,
        ["CC"] = 0x1, ["DC"] = AddFile, ["LC"] = AddSubdirectory, ["SW"] = 0x8, ["RP"] = 0x10, ["WP"] = 0x20,
        ["DT"] = DeleteChild, ["LO"] = 0x80, ["CR"] = 0x100,
        ["FA"] = 0x1F01FF, ["FR"] = 0x120089, ["FW"] = 0x120116, ["FX"] = 0x1200A0,
    };

    /// <summary>Null when safe; else why, naming the folder and the account.</summary>
    /// <param name="isTarget">True for the folder the file goes into; false for a folder on the way.</param>
    /// <param name="runtimeSid">The runtime account the secret is written for, trusted like this user.</param>
    public static string? Problem(string path, string sddl, string currentUserSid, bool isTarget, string? runtimeSid = null)
    {
        var owner = Section(sddl, 'O');
        if (owner != null && !IsTrusted(Sid(owner), currentUserSid, runtimeSid))
            return $"'{path}' is owned by another account ({Sid(owner)})";

        var dacl = Section(sddl, 'D');
        // No DACL at all (D:NO_ACCESS_CONTROL) grants everyone everything.
        if (dacl == null || dacl.StartsWith("NO_ACCESS_CONTROL", StringComparison.Ordinal))
            return $"'{path}' has no access control list, so every account may change it";

        var wanted = isTarget ? TargetWriteRights : AncestorWriteRights;
        foreach (var ace in Entries(dacl))
        {
            var fields = ace.Split(';');
            if (fields.Length < 6) continue;
            if (fields[0] != "A" && fields[0] != "OA") continue;
            if (fields[1].Contains("IO")) continue; // inherit-only: does not apply to the folder itself
            var sid = Sid(fields[5]);
            if (IsTrusted(sid, currentUserSid, runtimeSid) || sid == CreatorOwner || sid == OwnerRights) continue;
            if ((Rights(fields[2]) & wanted) != 0)
                return $"'{path}' lets another account ({sid}) " + (isTarget ? "create or delete files in it" : "move, delete or re-permission it");
        }
        return null;
    }

    /// <summary>
    /// The rule for a secret file itself: owned by this user (or SYSTEM, Administrators), its ACL
    /// protected from inheritance, and no allow entry for any other account. Null when owner-only.
    /// </summary>
    public static string? FileProblem(string path, string sddl, string currentUserSid, string? runtimeSid = null)
    {
        var owner = OwnerSid(sddl);
        if (owner != null && !IsTrusted(owner, currentUserSid, runtimeSid))
            return $"'{path}' is owned by another account ({owner})";
        var dacl = Section(sddl, 'D');
        if (dacl == null || dacl.StartsWith("NO_ACCESS_CONTROL", StringComparison.Ordinal))
            return $"'{path}' has no access control list, so every account may read it";
        var flags = dacl.IndexOf('(') is var open && open >= 0 ? dacl.Substring(0, open) : dacl;
        if (flags.IndexOf('P') < 0)
            return $"'{path}' inherits its access from its folder instead of being owner-only";
        foreach (var ace in Entries(dacl))
        {
            var fields = ace.Split(';');
            if (fields.Length < 6 || (fields[0] != "A" && fields[0] != "OA")) continue;
            var sid = Sid(fields[5]);
            if (IsTrusted(sid, currentUserSid, runtimeSid)) continue;
            if (Rights(fields[2]) != 0) return $"'{path}' lets another account ({sid}) open it";
        }
        return null;
    }

    /// <summary>Rights on a file that let another account change what it says.</summary>
    public const uint FileWriteRights = 0x2 | 0x4 | 0x10 | 0x100 | Delete | WriteDac | WriteOwner | GenericAll | GenericWrite;

    /// <summary>
    /// Whether a settings file (an installation's config.json) may steer anything: owned by this
    /// user, SYSTEM, Administrators or TrustedInstaller, and no allow entry that applies to the file
    /// lets another account write, delete or re-permission it. Null when trusted.
    /// </summary>
    public static string? SettingsFileProblem(string path, string sddl, string currentUserSid)
    {
        var owner = OwnerSid(sddl);
        if (owner != null && !IsTrusted(owner, currentUserSid, runtimeSid: null))
            return $"'{path}' is owned by another account ({owner})";
        var dacl = Section(sddl, 'D');
        if (dacl == null || dacl.StartsWith("NO_ACCESS_CONTROL", StringComparison.Ordinal))
            return $"'{path}' has no access control list, so every account may change it";
        foreach (var ace in Entries(dacl))
        {
            var fields = ace.Split(';');
            if (fields.Length < 6 || (fields[0] != "A" && fields[0] != "OA")) continue;
            if (fields[1].Contains("IO")) continue;
            var sid = Sid(fields[5]);
            if (IsTrusted(sid, currentUserSid, runtimeSid: null) || sid == OwnerRights) continue;
            if ((Rights(fields[2]) & FileWriteRights) != 0) return $"'{path}' can be changed by another account ({sid})";
        }
        return null;
    }

    /// <summary>The owner's SID of a descriptor in SDDL form, aliases resolved; null when it names none.</summary>
    public static string? OwnerSid(string sddl) => Section(sddl, 'O') is { Length: > 0 } owner ? Sid(owner) : null;

    private static bool IsTrusted(string sid, string currentUserSid, string? runtimeSid) =>
        sid == currentUserSid || (runtimeSid != null && sid == runtimeSid) || sid == System || sid == Administrators || sid == TrustedInstaller;

    private static string Sid(string value) => Aliases.TryGetValue(value, out var sid) ? sid : value;

    /// <summary>Unknown right codes count as every right: an entry NaraAuth cannot read is not trusted.</summary>
    private static uint Rights(string text)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return uint.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask) ? mask : uint.MaxValue;
        uint rights = 0;
        for (var i = 0; i + 1 < text.Length; i += 2)
            rights |= RightCodes.TryGetValue(text.Substring(i, 2), out var code) ? code : uint.MaxValue;
        return text.Length % 2 == 0 ? rights : uint.MaxValue;
    }

    /// <summary>The text of an SDDL section ("O:", "G:", "D:", "S:") up to the next one.</summary>
    private static string? Section(string sddl, char name)
    {
        var depth = 0;
        for (var i = 0; i + 1 < sddl.Length; i++)
        {
            var c = sddl[i];
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && c == name && sddl[i + 1] == ':' && (i == 0 || sddl[i - 1] != ':'))
            {
                var start = i + 2;
                var end = start;
                var d = 0;
                while (end < sddl.Length)
                {
                    if (sddl[end] == '(') d++;
                    else if (sddl[end] == ')') d--;
                    else if (d == 0 && end + 1 < sddl.Length && sddl[end + 1] == ':' && "OGDS".IndexOf(sddl[end]) >= 0) break;
                    end++;
                }
                return sddl.Substring(start, end - start);
            }
        }
        return null;
    }

    private static IEnumerable<string> Entries(string dacl)
    {
        var start = -1;
        for (var i = 0; i < dacl.Length; i++)
        {
            if (dacl[i] == '(') start = i + 1;
            else if (dacl[i] == ')' && start >= 0)
            {
                yield return dacl.Substring(start, i - start);
                start = -1;
            }
        }
    }
}
