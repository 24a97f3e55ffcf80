using System.Diagnostics;

namespace NaraAuth.Package.Tests;

/// <summary>
/// Packs the staged module exactly as build.ps1 -Task Package does (Compress-PSResource in the
/// pinned pwsh), into a temporary folder, so the package under test is the one that would ship.
/// PSResourceGet keeps its repository list under the user's profile: on Unix the child gets a
/// temporary HOME so the real one is never touched.
/// </summary>
public sealed class GalleryPackageFixture : IDisposable
{
    public static readonly string Root = FindRoot();
    private readonly string _work = Directory.CreateTempSubdirectory("naraauth-pack-").FullName;

    public GalleryPackageFixture()
    {
        var output = Path.Combine(_work, "package");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command",
                     $"Import-Module ./tools/DevTools.psm1; (New-GalleryPackage -DestinationPath '{output.Replace("'", "''")}').FullName" })
            start.ArgumentList.Add(arg);
        if (!OperatingSystem.IsWindows())
        {
            var home = Path.Combine(_work, "home");
            Directory.CreateDirectory(home);
            // dotnet and NuGet keep using the real profile's tool and package caches.
            start.Environment["DOTNET_CLI_HOME"] = Environment.GetEnvironmentVariable("DOTNET_CLI_HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            start.Environment["HOME"] = home;
            start.Environment.Remove("XDG_DATA_HOME");
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Packing with Compress-PSResource took longer than 5 minutes.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"Packing failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        PackagePath = stdout.Result.Trim().Split('\n').Last().Trim();
        if (!File.Exists(PackagePath)) throw new InvalidOperationException("No package at '" + PackagePath + "': " + stdout.Result);
    }

    public string PackagePath { get; }

    public static string ManifestVersion()
    {
        var line = File.ReadAllLines(Path.Combine(Root, "NaraAuth.psd1")).Single(l => l.TrimStart().StartsWith("ModuleVersion", StringComparison.Ordinal));
        return line.Split('\'')[1];
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "NaraAuth.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }
}
