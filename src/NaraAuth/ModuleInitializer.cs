using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NaraAuth;

/// <summary>
/// Runs when the module is imported, before any cmdlet touches NaraAuth.Core. Core and its
/// dependencies live in Dependencies/, out of the default probing path, so they only load
/// through here:
/// - PowerShell 7: into NaraAuth's own AssemblyLoadContext (NaraAuth.Loader), so another
///   module's MSAL or IdentityModel version in the default context cannot clash with ours.
/// - Windows PowerShell 5.1: AppDomain.AssemblyResolve, side by side; there is no load context.
///   The handler answers only requests made by NaraAuth's own assemblies, so another module that
///   fails to find its own copy of a shared library never silently receives ours, and
///   Remove-Module unhooks it.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static bool _initialized;

    internal static string ModuleDirectory { get; } =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

    internal static string DependencyDirectory { get; } = Path.Combine(ModuleDirectory, "Dependencies");

    public void OnImport() => EnsureInitialized();

    public void OnRemove(PSModuleInfo module)
    {
        lock (Gate)
        {
            // The PowerShell 7 load context cannot be unloaded (Core's types stay in use by any
            // object still held), and re-registering it is a no-op, so only 5.1 has a hook to undo.
            if (!_initialized || !IsNetFramework) return;
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencies;
            _initialized = false;
        }
    }

    private static bool IsNetFramework =>
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    internal static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_initialized) return;
            if (IsNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
            }
            else
            {
                var loader = Assembly.LoadFrom(Path.Combine(DependencyDirectory, "NaraAuth.Loader.dll"));
                loader.GetType("NaraAuth.Loader.DependencyLoadContext", throwOnError: true)!
                    .GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!
                    .Invoke(null, new object[] { DependencyDirectory });
            }
            _initialized = true;
        }
    }

    private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
    {
        if (!IsOwnRequest(args.RequestingAssembly?.Location, ModuleDirectory)) return null;
        var name = new AssemblyName(args.Name).Name;
        if (string.IsNullOrEmpty(name)) return null;
        var candidate = Path.Combine(DependencyDirectory, name + ".dll");
        return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
    }

    /// <summary>
    /// True when the assembly asking to be resolved is the cmdlet assembly or one of the module's
    /// dependencies: only those may be given an assembly from Dependencies/.
    /// </summary>
    internal static bool IsOwnRequest(string? requestingLocation, string moduleDirectory)
    {
        if (string.IsNullOrEmpty(requestingLocation) || string.IsNullOrEmpty(moduleDirectory)) return false;
        var folder = Path.GetDirectoryName(requestingLocation);
        if (folder == null) return false;
        var comparison = StringComparison.OrdinalIgnoreCase;
        var root = Path.GetFullPath(moduleDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var own = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return string.Equals(own, root, comparison)
            || string.Equals(own, Path.Combine(root, "Dependencies"), comparison);
    }
}
