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
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly object Gate = new();
    private static bool _initialized;

    internal static string ModuleDirectory { get; } =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

    internal static string DependencyDirectory { get; } = Path.Combine(ModuleDirectory, "Dependencies");

    public void OnImport() => EnsureInitialized();

    internal static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_initialized) return;
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
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
        var name = new AssemblyName(args.Name).Name;
        if (string.IsNullOrEmpty(name)) return null;
        var candidate = Path.Combine(DependencyDirectory, name + ".dll");
        return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
    }
}
