using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace NaraAuth.Benchmarks;

/// <summary>
/// Time and memory of one Test-ApiKey verification (scrypt ln=16, r=8, p=1) through
/// NaraAuth.ApiKeys.ApiKeyVerifier.Verify, the method the cmdlet calls.
/// </summary>
public static class Program
{
    private const int Iterations = 10;

    public static int Main(string[] args)
    {
        var dependencies = args.Length > 0 ? args[0] : Path.Combine(FindRepoRoot(), "out", "NaraAuth", "Dependencies");
        if (!File.Exists(Path.Combine(dependencies, "NaraAuth.ApiKeys.dll")))
        {
            Console.Error.WriteLine($"No staged module at {dependencies}; run 'dotnet build src/NaraAuth -c Release' first.");
            return 2;
        }

        var context = new StagedContext(dependencies);
        var apiKeys = context.LoadFromAssemblyPath(Path.Combine(dependencies, "NaraAuth.ApiKeys.dll"));
        var generate = apiKeys.GetType("NaraAuth.ApiKeys.ApiKeyGenerator", true)!.GetMethod("Generate")!;
        var verify = apiKeys.GetType("NaraAuth.ApiKeys.ApiKeyVerifier", true)!.GetMethod("Verify")!;
        var bouncy = context.Assemblies.FirstOrDefault(a => a.GetName().Name == "BouncyCastle.Cryptography");

        var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;
        var generated = generate.Invoke(null, new object?[] { null })!;
        var key = (string)generated.GetType().GetProperty("Key")!.GetValue(generated)!;
        var hash = (string)generated.GetType().GetProperty("Hash")!.GetValue(generated)!;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var peakAfterFirst = process.PeakWorkingSet64;

        bouncy ??= context.Assemblies.First(a => a.GetName().Name == "BouncyCastle.Cryptography");
        Console.WriteLine($"Runtime:      {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {Environment.ProcessorCount} CPU(s)");
        Console.WriteLine($"ApiKeys:      {apiKeys.Location}");
        Console.WriteLine($"BouncyCastle: {FileVersionInfo.GetVersionInfo(bouncy.Location).FileVersion} ({bouncy.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()?.FrameworkName})");

        // Warm up (JIT), then measure.
        Check(verify, key, hash);
        var times = new List<double>();
        var allocations = new List<long>();
        for (var i = 0; i < Iterations; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            Check(verify, key, hash);
            watch.Stop();
            allocations.Add(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        process.Refresh();
        Console.WriteLine($"Verifications: {Iterations} at ln=16, r=8, p=1 (after one warm-up)");
        Console.WriteLine($"Time (ms):     median {times[times.Count / 2]:0.0}, min {times[0]:0.0}, max {times[^1]:0.0}");
        Console.WriteLine($"Allocated:     {allocations.Average() / (1024 * 1024):0.00} MiB per verification (managed, precise)");
        Console.WriteLine($"Peak working set: {peakBefore / (1024 * 1024)} MiB before, {peakAfterFirst / (1024 * 1024)} MiB after the first hash (+{(peakAfterFirst - peakBefore) / (1024 * 1024)} MiB), {process.PeakWorkingSet64 / (1024 * 1024)} MiB at the end");
        return 0;
    }

    private static void Check(MethodInfo verify, string key, string hash)
    {
        var result = verify.Invoke(null, new object?[] { key, hash, null })!;
        if (!(bool)result.GetType().GetProperty("IsValid")!.GetValue(result)!)
            throw new InvalidOperationException("The generated key did not verify.");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NaraAuth.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Resolves from the staged Dependencies folder, framework assemblies from the runtime.</summary>
    private sealed class StagedContext : AssemblyLoadContext
    {
        private readonly string _dir;
        private readonly string _framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

        public StagedContext(string dir) : base("staged") => _dir = dir;

        protected override Assembly? Load(AssemblyName name)
        {
            var file = name.Name + ".dll";
            if (File.Exists(Path.Combine(_framework, file))) return null;
            var candidate = Path.Combine(_dir, file);
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
