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

    private static void Apply(string path, string sddl, bool isDirectory)
    {
        var securityTypeName = isDirectory ? "System.Security.AccessControl.DirectorySecurity" : "System.Security.AccessControl.FileSecurity";
        var securityType = Type.GetType(securityTypeName + ", System.IO.FileSystem.AccessControl")
            ?? Type.GetType(securityTypeName + ", mscorlib")
            ?? throw new PlatformNotSupportedException(securityTypeName + " is not available.");
        var security = Activator.CreateInstance(securityType)!;
        securityType.GetMethod("SetSecurityDescriptorSddlForm", new[] { typeof(string) })!.Invoke(security, new object[] { sddl });

        // .NET Framework: File/Directory.SetAccessControl; .NET Core: FileSystemAclExtensions.
        var target = isDirectory ? (object)new DirectoryInfo(path) : new FileInfo(path);
        var setter = target.GetType().GetMethod("SetAccessControl", new[] { securityType });
        if (setter != null)
        {
            setter.Invoke(target, new[] { security });
            return;
        }
        var extensions = Type.GetType("System.IO.FileSystemAclExtensions, System.IO.FileSystem.AccessControl")
            ?? throw new PlatformNotSupportedException("FileSystemAclExtensions is not available.");
        var method = extensions.GetMethod("SetAccessControl", new[] { target.GetType(), securityType })!;
        try
        {
            method.Invoke(null, new[] { target, security });
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            throw e.InnerException;
        }
    }
}
