using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.Loader;

// Parent: runs N fresh child processes and reports medians. Child: measures one cold session.
var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root != null && !File.Exists(Path.Combine(root.FullName, "NaraAuth.sln"))) root = root.Parent;
var manifest = Environment.GetEnvironmentVariable("NARAAUTH_BENCH_MANIFEST") ?? Path.Combine(root!.FullName, "out", "NaraAuth", "NaraAuth.psd1");

if (args.Length > 0 && args[0] == "child") return Child(manifest, args[1]);

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 9;
var tokenDir = Directory.CreateTempSubdirectory("naraauth-bench-").FullName;
#pragma warning disable CA1416 // the benchmark runs on the CI machines, Linux
await using (var emulator = await NaraAuth.Emulator.EmulatorServer.StartAsync())
{
    var tokenPath = Path.Combine(tokenDir, "auth-token.json");
    File.WriteAllText(tokenPath, "{\"token\": \"" + emulator.State.MintToken() + "\", \"savedAt\": \"2026-01-01T00:00:00.000Z\"}");
    if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tokenPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    var samples = new List<Dictionary<string, double>>();
    string? assemblies = null;
    for (var i = 0; i < runs; i++)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal)) start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add("child");
        start.ArgumentList.Add(tokenPath);
        using var child = Process.Start(start)!;
        var lines = child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        child.WaitForExit();
        samples.Add(lines.Where(l => l.Contains('=') && !l.StartsWith("assemblies", StringComparison.Ordinal))
            .Select(l => l.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture)));
        assemblies ??= lines.FirstOrDefault(l => l.StartsWith("assemblies", StringComparison.Ordinal));
    }

    double Median(string key)
    {
        var values = samples.Select(s => s[key]).OrderBy(v => v).ToList();
        return values[values.Count / 2];
    }

    Console.WriteLine($"NaraAuth import benchmark: {runs} fresh processes, {RuntimeSummary()}");
    Console.WriteLine($"  engine start (runspace open)         median {Median("engine"),8:F1} ms");
    Console.WriteLine($"  Import-Module of an empty module      median {Median("baseline"),8:F1} ms  (engine's own first-import cost)");
    Console.WriteLine($"  Import-Module NaraAuth after that    median {Median("import"),8:F1} ms  (NaraAuth's share)");
    Console.WriteLine($"  first Get-AuthToken                  median {Median("first"),8:F1} ms");
    Console.WriteLine($"  warm Get-AuthToken (per call)        median {Median("warm"),8:F3} ms");
    Console.WriteLine($"  {assemblies}");
}
Directory.Delete(tokenDir, recursive: true);
return 0;

static string RuntimeSummary() => $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, {(IsRelease() ? "Release" : "DEBUG BUILD: numbers not representative")}";

static bool IsRelease()
{
#if DEBUG
    return false;
#else
    return true;
#endif
}

static int Child(string manifest, string tokenPath)
{
    Environment.SetEnvironmentVariable("PSModulePath", Path.GetDirectoryName(Path.GetDirectoryName(manifest)));
    Environment.SetEnvironmentVariable("AUTH_TOKEN_PATH", tokenPath);
    var clock = Stopwatch.StartNew();
    using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
    runspace.Open();
    using (var warmup = PowerShell.Create()) { warmup.Runspace = runspace; warmup.AddScript("$null").Invoke(); }
    var engine = clock.Elapsed.TotalMilliseconds;

    // An empty manifest module first: what any Import-Module costs the engine cold (JIT of the
    // module machinery), so the NaraAuth import after it is NaraAuth's own share.
    var empty = Directory.CreateTempSubdirectory("naraauth-empty-").FullName;
    File.WriteAllText(Path.Combine(empty, "Empty.psd1"), "@{ ModuleVersion = '1.0'; GUID = '6f1f3c55-6f38-4c57-9a4f-3c9c3a8b1f00' }");
    clock.Restart();
    using (var ps = PowerShell.Create())
    {
        ps.Runspace = runspace;
        ps.AddCommand("Import-Module").AddParameter("Name", Path.Combine(empty, "Empty.psd1")).Invoke();
    }
    var baseline = clock.Elapsed.TotalMilliseconds;
    Directory.Delete(empty, recursive: true);

    clock.Restart();
    using (var ps = PowerShell.Create())
    {
        ps.Runspace = runspace;
        ps.AddCommand("Import-Module").AddParameter("Name", manifest).Invoke();
    }
    var import = clock.Elapsed.TotalMilliseconds;
    // What import loaded: MSAL and the OIDC stack must not be among them.
    var heavy = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name!)
        .Where(n => n.StartsWith("Microsoft.Identity", StringComparison.Ordinal) || n.StartsWith("System.IdentityModel", StringComparison.Ordinal) || n == "NaraAuth.Core")
        .OrderBy(n => n).ToList();

    clock.Restart();
    using (var ps = PowerShell.Create())
    {
        ps.Runspace = runspace;
        ps.AddCommand("Get-AuthToken").Invoke();
        if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
    }
    var first = clock.Elapsed.TotalMilliseconds;

    // Warm: the cmdlet alone, without the cost of building a new pipeline each time.
    const int calls = 200;
    using (var ps = PowerShell.Create())
    {
        ps.Runspace = runspace;
        ps.AddScript($"foreach ($i in 1..{calls}) {{ $null = Get-AuthToken }}");
        clock.Restart();
        ps.Invoke();
    }
    var warm = clock.Elapsed.TotalMilliseconds / calls;

    Console.WriteLine(FormattableString.Invariant($"engine={engine}"));
    Console.WriteLine(FormattableString.Invariant($"baseline={baseline}"));
    Console.WriteLine(FormattableString.Invariant($"import={import}"));
    Console.WriteLine(FormattableString.Invariant($"first={first}"));
    Console.WriteLine(FormattableString.Invariant($"warm={warm}"));
    Console.WriteLine("assemblies loaded by Import-Module (identity/JWT/Core): " + (heavy.Count == 0 ? "none" : string.Join(", ", heavy)));
    return 0;
}
