using System;
using System.IO;
using System.Reflection;

namespace NaraAuth.Core.Storage;

/// <summary>
/// Applies <see cref="WindowsOwnerOnlyAcl"/> on Windows. The ACL types live in
/// System.Security.AccessControl, which Windows PowerShell 5.1 has in mscorlib and PowerShell 7
/// ships for Windows; reaching them by reflection keeps Core free of a Windows-only package
/// (one dependency fewer to clash on 5.1). The temporary file is created empty, locked down,
/// and only then written, so the secret never exists under an inherited ACL.
/// Exercised for real only by the Windows CI jobs.
/// </summary>
internal static class WindowsAclApplier
{
    public static string CurrentUserSid()
    {
        var identityType = Type.GetType("System.Security.Principal.WindowsIdentity, System.Security.Principal.Windows")
            ?? Type.GetType("System.Security.Principal.WindowsIdentity, mscorlib")
            ?? throw new PlatformNotSupportedException("WindowsIdentity is not available.");
        using var identity = (IDisposable)identityType.GetMethod("GetCurrent", Type.EmptyTypes)!.Invoke(null, null)!;
        var user = identityType.GetProperty("User")!.GetValue(identity)!;
        return user.ToString()!;
    }

    public static void ApplyToFile(string path) => Apply(path, WindowsOwnerOnlyAcl.ForFile(CurrentUserSid()), isDirectory: false);

    public static void ApplyToDirectory(string path) => Apply(path, WindowsOwnerOnlyAcl.ForDirectory(CurrentUserSid()), isDirectory: true);

    /// <summary>The runtime account's file descriptor (the writer's own when <paramref name="account"/> is null).</summary>
    public static void ApplyToFile(string path, RuntimeAccount? account)
    {
        if (account?.Sid is not { } sid) { ApplyToFile(path); return; }
        ApplyHandingOver(path, WindowsOwnerOnlyAcl.ForRuntimeFile(sid, account.AllowAdministrators), isDirectory: false);
    }

    /// <summary>The runtime account's folder descriptor (the writer's own when <paramref name="account"/> is null).</summary>
    public static void ApplyToDirectory(string path, RuntimeAccount? account)
    {
        if (account?.Sid is not { } sid) { ApplyToDirectory(path); return; }
        ApplyHandingOver(path, WindowsOwnerOnlyAcl.ForRuntimeDirectory(sid, CurrentUserSid(), account.AllowAdministrators), isDirectory: true);
    }

    /// <summary>
    /// Making another account the owner needs the right to restore files (SeRestorePrivilege, held
    /// by LocalSystem and enabled for some admin tools); without it the writer stays the owner and
    /// the access list is still the runtime account's alone.
    /// </summary>
    private static void ApplyHandingOver(string path, string sddl, bool isDirectory)
    {
        try
        {
            Apply(path, sddl, isDirectory);
        }
        catch (Exception e) when (e is InvalidOperationException || e is UnauthorizedAccessException)
        {
            Apply(path, WindowsOwnerOnlyAcl.WithoutOwner(sddl), isDirectory);
        }
    }

    /// <summary>The folder's owner and DACL in SDDL form, for <see cref="WindowsFolderAcl"/>.</summary>
    public static string ReadDirectorySddl(string path) => ReadSddl(new DirectoryInfo(path));

    /// <summary>The file's owner and DACL in SDDL form, for <see cref="WindowsFolderAcl.FileProblem"/>.</summary>
    public static string ReadFileSddl(string path) => ReadSddl(new FileInfo(path));

    /// <summary>The owner's SID of a file or folder.</summary>
    public static string? ReadOwnerSid(string path) =>
        WindowsFolderAcl.OwnerSid(Directory.Exists(path) ? ReadDirectorySddl(path) : ReadFileSddl(path));

    private static string ReadSddl(FileSystemInfo target)
    {
        var sectionsType = Type.GetType("System.Security.AccessControl.AccessControlSections, System.IO.FileSystem.AccessControl")
            ?? Type.GetType("System.Security.AccessControl.AccessControlSections, System.Security.AccessControl")
            ?? Type.GetType("System.Security.AccessControl.AccessControlSections, mscorlib")
            ?? throw new PlatformNotSupportedException("AccessControlSections is not available.");
        var ownerAndAccess = Enum.ToObject(sectionsType, 4 | 2);
        object security;
        var getter = target.GetType().GetMethod("GetAccessControl", new[] { sectionsType });
        try
        {
            if (getter != null)
            {
                security = getter.Invoke(target, new[] { ownerAndAccess })!;
            }
            else
            {
                var extensions = Type.GetType("System.IO.FileSystemAclExtensions, System.IO.FileSystem.AccessControl")
                    ?? throw new PlatformNotSupportedException("FileSystemAclExtensions is not available.");
                security = extensions.GetMethod("GetAccessControl", new[] { target.GetType(), sectionsType })!
                    .Invoke(null, new[] { target, ownerAndAccess })!;
            }
            return (string)security.GetType().GetMethod("GetSecurityDescriptorSddlForm", new[] { sectionsType })!
                .Invoke(security, new[] { ownerAndAccess })!;
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            throw e.InnerException;
        }
    }

    private static void Apply(string path, string sddl, bool isDirectory)
    {
        var securityTypeName = isDirectory ? "System.Security.AccessControl.DirectorySecurity" : "System.Security.AccessControl.FileSecurity";
        var securityType = Type.GetType(securityTypeName + ", System.IO.FileSystem.AccessControl")
            ?? Type.GetType(securityTypeName + ", mscorlib")
            ?? throw new PlatformNotSupportedException(securityTypeName + " is not available.");
        var security = Activator.CreateInstance(securityType)!;

        // .NET Framework: File/Directory.SetAccessControl; .NET Core: FileSystemAclExtensions.
        var target = isDirectory ? (object)new DirectoryInfo(path) : new FileInfo(path);
        var setter = target.GetType().GetMethod("SetAccessControl", new[] { securityType });
        try
        {
            securityType.GetMethod("SetSecurityDescriptorSddlForm", new[] { typeof(string) })!.Invoke(security, new object[] { sddl });
            if (setter != null)
            {
                setter.Invoke(target, new[] { security });
                return;
            }
            var extensions = Type.GetType("System.IO.FileSystemAclExtensions, System.IO.FileSystem.AccessControl")
                ?? throw new PlatformNotSupportedException("FileSystemAclExtensions is not available.");
            extensions.GetMethod("SetAccessControl", new[] { target.GetType(), securityType })!.Invoke(null, new[] { target, security });
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            throw e.InnerException;
        }
    }
}
