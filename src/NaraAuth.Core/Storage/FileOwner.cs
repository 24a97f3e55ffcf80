using System;
using System.IO;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Who owns a secret file: the account name (a user name on Unix, DOMAIN\name on Windows) and the
/// id it is compared by (the uid, or the SID), so a report can say whether the runtime account
/// can read its own credential.
/// </summary>
public sealed class FileOwner
{
    internal FileOwner(string name, string id)
    {
        Name = name;
        Id = id;
    }

    /// <summary>The account name, or the bare uid / SID when no account has it.</summary>
    public string Name { get; }

    /// <summary>The uid (Unix) or SID (Windows) as text.</summary>
    public string Id { get; }

    /// <summary>The owner of <paramref name="path"/> itself (a link is not followed); null when it does not exist or cannot be read.</summary>
    public static FileOwner? Of(string path)
    {
        try
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                if (!File.Exists(path) && !Directory.Exists(path)) return null;
                return WindowsAclApplier.ReadOwnerSid(path) is { } sid ? new FileOwner(WindowsAccountSid.NameOnWindows(sid), sid) : null;
            }
            if (UnixFileApi.LinkStatus(path) is not { } status) return null;
            return OfUid(status.Owner);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is PlatformNotSupportedException)
        {
            return null;
        }
    }

    internal static FileOwner OfUid(uint uid)
    {
        var id = uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new FileOwner(UnixAccountApi.ById(uid)?.Name ?? id, id);
    }

    /// <summary>Whether this is <paramref name="account"/>: compared by uid or SID, never by spelling.</summary>
    public bool IsAccount(RuntimeAccount account)
    {
        if (account.Unix is { } unix) return Id == unix.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return account.Sid != null && string.Equals(Id, account.Sid, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => Name;
}
