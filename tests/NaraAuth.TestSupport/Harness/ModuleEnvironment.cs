using System.Text.Json;

namespace NaraAuth.TestSupport.Harness;

/// <summary>
/// The environment variables the module reads, as the suites isolate them. The list lives in
/// tests/environment-variables.json, read by this class and by the Pester helper alike, and a Core
/// test holds it equal to the module's own catalogue (EnvironmentVariables.All), so a variable
/// added to the module is isolated by every suite or the build fails.
/// </summary>
public static class ModuleEnvironment
{
    /// <summary>Every variable the module reads, from the shared list.</summary>
    public static IReadOnlyList<string> Variables { get; } = Load();

    /// <summary>Where the user's files live: pointed at a temporary profile rather than cleared.</summary>
    public static IReadOnlyList<string> ProfileFolders { get; } = new[] { "HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "XDG_CONFIG_HOME" };

    /// <summary>
    /// Read by the module only to find a browser program; every child process needs it, so it is
    /// kept as it is. Tests that steer the browser set BROWSER, which the module asks first.
    /// </summary>
    public const string KeptAsIs = "PATH";

    /// <summary>
    /// Proxy settings .NET's HTTP stack reads on the module's behalf: cleared as well, so a
    /// developer's proxy never sees a test's traffic.
    /// </summary>
    public static IReadOnlyList<string> ProxyVariables { get; } = new[] { "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY" };

    /// <summary>What a test session clears (then sets the profile folders to its own temporary ones).</summary>
    public static IReadOnlyList<string> Cleared { get; } = Variables.Where(v => v != KeptAsIs).Concat(ProxyVariables).ToArray();

    public static string ListPath => Path.Combine(RepoPaths.Root, "tests", "environment-variables.json");

    private static string[] Load() =>
        JsonSerializer.Deserialize<string[]>(File.ReadAllText(ListPath))
        ?? throw new InvalidOperationException("tests/environment-variables.json holds no list.");
}
