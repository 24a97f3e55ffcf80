using NaraAuth.Core.Abstractions;

namespace NaraAuth.Core.Tests;

/// <summary>An environment with only the variables a test sets, so tests can run in parallel.</summary>
internal sealed class FakeEnvironment : IEnvironment
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

    public FakeEnvironment(string home)
    {
        HomeDirectory = home;
    }

    public FakeEnvironment Set(string name, string? value)
    {
        if (value == null) _variables.Remove(name);
        else _variables[name] = value;
        return this;
    }

    public string? GetVariable(string name) => _variables.TryGetValue(name, out var value) ? value : null;
    public string MachineName => "test-machine";
    public string UserName => "tester";
    public string HomeDirectory { get; }
    public string ConfigDirectory => Path.Combine(HomeDirectory, ".config");
    public bool IsWindows => false;
}

internal sealed class FixedClock : IClock
{
    public FixedClock(DateTimeOffset now) => UtcNow = now;
    public DateTimeOffset UtcNow { get; set; }
}
