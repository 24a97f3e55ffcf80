using NaraAuth.Core.Abstractions;

namespace NaraAuth.Core.Tests;

/// <summary>An environment of the test's own, so Core tests can run in parallel.</summary>
public sealed class FakeEnvironment : IEnvironment
{
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);
    public string? GetVariable(string name) => Variables.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
    public string MachineName { get; set; } = "test-machine";
    public string UserName { get; set; } = "tester";
    public string HomeDirectory { get; set; } = Path.GetTempPath();
    public string ConfigDirectory { get; set; } = Path.Combine(Path.GetTempPath(), ".config");
    public bool IsWindows { get; set; } = OperatingSystem.IsWindows();
}

public sealed class FakeClock : IClock
{
    public FakeClock(DateTimeOffset now) => UtcNow = now;
    public DateTimeOffset UtcNow { get; set; }
}

/// <summary>A private temp folder deleted after the test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("naraauth-core-").FullName;
    public string Path { get; }
    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
