using NaraAuth.Core.Abstractions;

namespace NaraAuth.Core.Tests;

/// <summary>An environment with only the variables a test sets, so Core tests can run in parallel.</summary>
public sealed class FakeEnvironment : IEnvironment
{
    public FakeEnvironment()
        : this(Path.GetTempPath())
    {
    }

    public FakeEnvironment(string home)
    {
        HomeDirectory = home;
        ConfigDirectory = Path.Combine(home, ".config");
    }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public FakeEnvironment Set(string name, string? value)
    {
        if (value == null) Variables.Remove(name);
        else Variables[name] = value;
        return this;
    }

    public string? GetVariable(string name) => Variables.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
    public string MachineName { get; set; } = "test-machine";
    public string HomeDirectory { get; set; }
    public string ConfigDirectory { get; set; }
    public bool IsWindows { get; set; } = OperatingSystem.IsWindows();
}

/// <summary>A clock the test moves by hand.</summary>
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
