using System;
using System.IO;
using System.Reflection;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The runtime's own Unix permission APIs (.NET 7+: UnixCreateMode, Get/SetUnixFileMode,
/// CreateDirectory with a mode), reached by reflection because Core targets netstandard2.0.
/// PowerShell 7.4+ runs on .NET 8, so on Unix these always exist; Windows never calls them.
/// Using the runtime's open(2) with a mode is what makes a file 0600 from its first byte.
/// </summary>
internal static class UnixFileApi
{
    public const int OwnerReadWrite = 0x180; // 0600
    public const int OwnerAll = 0x1C0;       // 0700
    public const int GroupOrOtherAny = 0x3F; // 0077

    private static readonly Type? ModeType = Type.GetType("System.IO.UnixFileMode");
    private static readonly Type? OptionsType = Type.GetType("System.IO.FileStreamOptions");
    private static readonly MethodInfo? GetMode = ModeType == null ? null
        : typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
    private static readonly MethodInfo? SetMode = ModeType == null ? null
        : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), ModeType });
    private static readonly MethodInfo? CreateDir = ModeType == null ? null
        : typeof(Directory).GetMethod("CreateDirectory", new[] { typeof(string), ModeType });
    private static readonly ConstructorInfo? StreamWithOptions = OptionsType == null ? null
        : typeof(FileStream).GetConstructor(new[] { typeof(string), OptionsType });

    public static bool IsAvailable => GetMode != null && SetMode != null && CreateDir != null && StreamWithOptions != null;

    private static void EnsureAvailable()
    {
        if (!IsAvailable)
            throw new PlatformNotSupportedException("This runtime lacks the Unix file mode APIs (.NET 7 or later is required on Unix).");
    }

    public static int GetFileMode(string path)
    {
        EnsureAvailable();
        return Convert.ToInt32(Invoke(GetMode!, path));
    }

    public static void SetFileMode(string path, int mode)
    {
        EnsureAvailable();
        Invoke(SetMode!, path, Enum.ToObject(ModeType!, mode));
    }

    public static void CreateDirectory(string path, int mode)
    {
        EnsureAvailable();
        Invoke(CreateDir!, path, Enum.ToObject(ModeType!, mode));
    }

    /// <summary>Creates a new file (failing if it exists) whose mode is set by open(2) itself.</summary>
    public static FileStream CreateNew(string path, int mode)
    {
        EnsureAvailable();
        var options = Activator.CreateInstance(OptionsType!)!;
        OptionsType!.GetProperty("Mode")!.SetValue(options, FileMode.CreateNew);
        OptionsType.GetProperty("Access")!.SetValue(options, FileAccess.Write);
        OptionsType.GetProperty("Share")!.SetValue(options, FileShare.None);
        OptionsType.GetProperty("UnixCreateMode")!.SetValue(options, Enum.ToObject(ModeType!, mode));
        try
        {
            return (FileStream)StreamWithOptions!.Invoke(new[] { path, options });
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            throw e.InnerException;
        }
    }

    private static object? Invoke(MethodInfo method, params object[] args)
    {
        try
        {
            return method.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            // Surface the runtime's IOException/UnauthorizedAccessException, not the wrapper.
            throw e.InnerException;
        }
    }
}
