using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace NaraAuth.Loader;

/// <summary>
/// The load context that owns NaraAuth.Core and every assembly in the module's Dependencies folder.
/// Framework assemblies are left to the default context so that types such as Span or HttpClient
/// stay the runtime's own; everything else that Core asks for comes from Dependencies, whatever
/// version another module has already put into the default context.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static DependencyLoadContext? _instance;

    private readonly string _dependencyDir;
    private readonly string _frameworkDir;

    private DependencyLoadContext(string dependencyDir) : base("NaraAuth", isCollectible: false)
    {
        _dependencyDir = dependencyDir;
        _frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;
    }

    /// <summary>The assembly the root module resolves into this context.</summary>
    public const string CoreAssemblyName = "NaraAuth.Core";

    /// <summary>
    /// NaraAuth's own satellite assemblies the root module also calls directly (NaraAuth.ApiKeys
    /// keeps BouncyCastle out of Core); redirected here exactly like Core.
    /// </summary>
    private static readonly string[] OwnAssemblyNames = { CoreAssemblyName, "NaraAuth.ApiKeys" };

    /// <summary>
    /// Called once per process by the root module (by reflection). Hooks the default context so
    /// that only NaraAuth.Core and NaraAuth's own satellites are redirected here; any other failed
    /// resolution in the process is left alone.
    /// </summary>
    public static void Register(string dependencyDir)
    {
        lock (Gate)
        {
            if (_instance != null) return;
            _instance = new DependencyLoadContext(dependencyDir);
            Default.Resolving += ResolveCoreIntoThisContext;
        }
    }

    private static Assembly? ResolveCoreIntoThisContext(AssemblyLoadContext context, AssemblyName name)
    {
        var instance = _instance;
        if (instance == null || Array.IndexOf(OwnAssemblyNames, name.Name) < 0)
            return null;
        return instance.LoadFromAssemblyName(name);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var fileName = assemblyName.Name + ".dll";
        // Polyfills shipped for Windows PowerShell (System.Memory, System.Text.Json...) must not
        // shadow the runtime's own copies on PowerShell 7.
        if (File.Exists(Path.Combine(_frameworkDir, fileName)))
            return null;
        var candidate = Path.Combine(_dependencyDir, fileName);
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
