using System;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The account the Edge Connector runtime runs as, when that is not the account writing its
/// secret files (an admin, root, a pipeline's service user). Files and folders the store writes
/// for it belong to it from their first byte: on Unix its uid owns them (0600 / 0700); on Windows
/// a protected DACL grants it alone full control (Administrators only when asked), and it owns
/// them where the writer may hand ownership over.
/// Resolved (and, on Unix, the privilege checked) before anything is written or sent.
/// </summary>
public sealed class RuntimeAccount
{
    private RuntimeAccount(string name, UnixAccount? unix, string? sid, bool allowAdministrators)
    {
        Name = name;
        Unix = unix;
        Sid = sid;
        AllowAdministrators = allowAdministrators;
    }

    /// <summary>The account as it was given (svc-edge, DOMAIN\svc, NT SERVICE\EdgeConnector, LocalSystem).</summary>
    public string Name { get; }

    /// <summary>Windows only: Administrators keep full control of the files too.</summary>
    public bool AllowAdministrators { get; }

    /// <summary>The user database entry on Unix; null on Windows.</summary>
    internal UnixAccount? Unix { get; }

    /// <summary>The security identifier on Windows; null on Unix.</summary>
    internal string? Sid { get; }

    /// <summary>
    /// The -RuntimeAccount and -AllowAdministrators of a command that writes secret files: null
    /// without an account, else <see cref="ForWriting"/>. -AllowAdministrators alone is an error,
    /// since it would otherwise silently change nothing.
    /// </summary>
    public static RuntimeAccount? FromParameters(string? name, bool allowAdministrators, IEnvironment environment)
    {
        if (name == null)
        {
            if (!allowAdministrators) return null;
            throw new NaraAuthException("AllowAdministratorsWithoutRuntimeAccount", NaraErrorCategory.InvalidArgument,
                "-AllowAdministrators shapes the files written for -RuntimeAccount, and no -RuntimeAccount was given.",
                "Add -RuntimeAccount with the account the Edge Connector runs as, or leave out -AllowAdministrators.");
        }
        return ForWriting(name, environment, allowAdministrators);
    }

    /// <summary>Who may open the files, for -WhatIf and verbose lines.</summary>
    public string Description => AllowAdministrators
        ? $"for the runtime account '{Name}' and Administrators"
        : $"owned by the runtime account '{Name}' only";

    /// <summary>
    /// The account files are about to be written for: <see cref="Find"/>, and on Unix the check
    /// that this process may give files to it (RuntimeAccountNotPermitted otherwise).
    /// </summary>
    public static RuntimeAccount ForWriting(string name, IEnvironment environment, bool allowAdministrators = false)
    {
        var account = Find(name, environment, allowAdministrators);
        if (!environment.IsWindows) account.CheckPrivilege(UnixFileApi.EffectiveUserId());
        return account;
    }

    /// <summary>
    /// Finds <paramref name="name"/> in the user database (Unix) or among Windows' accounts
    /// (RuntimeAccountUnknown otherwise); enough to compare a file's owner with it.
    /// </summary>
    public static RuntimeAccount Find(string name, IEnvironment environment, bool allowAdministrators = false)
    {
        var trimmed = (name ?? string.Empty).Trim();
        if (trimmed.Length == 0)
            throw Unknown(name ?? string.Empty, "an empty name");
        if (environment.IsWindows)
        {
            var sid = WindowsAccountSid.Resolve(trimmed, WindowsAccountSid.TranslateOnWindows)
                ?? throw Unknown(trimmed, "Windows knows no such account");
            return ForWindows(trimmed, sid, allowAdministrators);
        }
        var account = UnixAccountApi.ByName(trimmed) ?? throw Unknown(trimmed, "the user database has no such user");
        return ForUnix(trimmed, account);
    }

    internal static RuntimeAccount ForUnix(string name, UnixAccount account) => new(name, account, null, allowAdministrators: false);

    internal static RuntimeAccount ForWindows(string name, string sid, bool allowAdministrators) => new(name, null, sid, allowAdministrators);

    /// <summary>
    /// Only root may give a file to another user (chown(2)); the runtime's own account needs no
    /// hand-over. Anyone else is refused before a folder is created or a byte is written.
    /// </summary>
    internal void CheckPrivilege(uint effectiveUserId)
    {
        if (Unix is not { } account || effectiveUserId == 0 || effectiveUserId == account.Uid) return;
        throw new NaraAuthException("RuntimeAccountNotPermitted", NaraErrorCategory.PermissionDenied,
            $"Nothing was written: files can be given to the runtime account '{Name}' (uid {account.Uid}) only by root or by that account itself, and this process runs as uid {effectiveUserId}.",
            $"Run the command as root (for example with sudo), or as '{Name}' itself.", Name);
    }

    /// <summary>Whether files for this account must be handed over (written by another account).</summary>
    internal bool NeedsHandOver(uint effectiveUserId) => Unix is { } account && account.Uid != effectiveUserId;

    public override string ToString() => Name;

    private static NaraAuthException Unknown(string name, string why) =>
        new("RuntimeAccountUnknown", NaraErrorCategory.ObjectNotFound,
            $"The runtime account '{name}' was not found ({why}); nothing was written.",
            "Name the account the Edge Connector runs as: a user name on Unix; on Windows a user, DOMAIN\\user, a group-managed service account (DOMAIN\\name$), NT SERVICE\\<service> or LocalSystem.", name);
}
