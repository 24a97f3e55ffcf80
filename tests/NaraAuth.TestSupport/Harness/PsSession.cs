using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace NaraAuth.TestSupport.Harness;

/// <summary>
/// A fresh runspace with the staged module imported, a scripted host, a private temp folder as
/// the current location and HOME, and a clean set of the environment variables NaraAuth reads.
/// The current location is also the Edge Connector installation (an empty config.json, named by
/// EDGE_CONNECTOR_HOME, since the current folder alone never is one) unless the test asks for a
/// plain folder, where the token goes to the per-user folder under the temporary HOME.
/// Module tests run one at a time (see GlobalUsings), so process environment changes are safe;
/// every change is undone on Dispose.
/// </summary>
public sealed class PsSession : IDisposable
{
    /// <summary>Every variable the module reads (and the proxy settings); cleared for each test so the machine's (CI=true!) do not leak in.</summary>
    public static IReadOnlyList<string> ModuleVariables => ModuleEnvironment.Cleared;

    /// <summary>
    /// Format-List and Out-String for the secret scan, from Microsoft.PowerShell.Commands.Utility
    /// where the test project references it (looked up by name: this library also serves projects
    /// that do not, which then scan $Error without Format-List).
    /// </summary>
    private static readonly (string Name, Type Type)[] ScanCommands = new[]
    {
        ("Out-String", Type.GetType("Microsoft.PowerShell.Commands.OutStringCommand, Microsoft.PowerShell.Commands.Utility")),
        ("Format-List", Type.GetType("Microsoft.PowerShell.Commands.FormatListCommand, Microsoft.PowerShell.Commands.Utility")),
    }.Where(c => c.Item2 != null).Select(c => (c.Item1, c.Item2!)).ToArray();

    /// <summary>What makes a folder an Edge Connector installation.</summary>
    public const string InstallationConfigName = "config.json";

    private static readonly object ModulePathGate = new();
    private static bool _modulePathSet;

    private readonly Dictionary<string, string?> _savedEnvironment = new();
    private readonly Runspace _runspace;
    private string? _forensicAtDispose;

    public PsSession(bool importModule = true, bool installationFolder = true)
    {
        EnsureModulePath();
        TempDir = Directory.CreateTempSubdirectory("naraauth-test-").FullName;
        Home = Path.Combine(TempDir, "home");
        Directory.CreateDirectory(Home);
        WorkDir = Path.Combine(TempDir, "work");
        Directory.CreateDirectory(WorkDir);
        foreach (var name in ModuleVariables) SetEnv(name, null);
        SetEnv("HOME", Home);
        SetEnv("XDG_CONFIG_HOME", Path.Combine(Home, ".config"));
        // The Windows profile folders too, so no test writes into the real user's profile.
        SetEnv("USERPROFILE", Home);
        SetEnv("APPDATA", Path.Combine(Home, "AppData", "Roaming"));
        SetEnv("LOCALAPPDATA", Path.Combine(Home, "AppData", "Local"));
        if (installationFolder)
        {
            File.WriteAllText(Path.Combine(WorkDir, InstallationConfigName), "{}");
            SetEnv("EDGE_CONNECTOR_HOME", WorkDir);
        }

        Host = new ScriptedHost();
        var state = InitialSessionState.CreateDefault2();
        // Only the commands the secret scan needs, so the rest of the session stays as lean as before.
        foreach (var (name, type) in ScanCommands) state.Commands.Add(new SessionStateCmdletEntry(name, type, null));
        _runspace = RunspaceFactory.CreateRunspace(Host, state);
        _runspace.Open();
        _runspace.SessionStateProxy.Path.SetLocation(WorkDir);
        if (importModule)
        {
            var import = Run("Import-Module -Name $args[0] -ErrorAction Stop", RepoPaths.StagedManifest);
            Assert.True(import.Terminating == null && import.Errors.Count == 0, "Import-Module failed: " + import.Error);
        }
    }

    /// <summary>
    /// What a person could dig out after the fact: <c>$Error | Format-List * -Force</c> and each
    /// error's Exception.ToString() (inner exceptions included), for the whole session.
    /// </summary>
    public string ForensicText()
    {
        // A result may be checked after its session ended: then the text taken at Dispose is used.
        if (_runspace.RunspaceStateInfo.State != RunspaceState.Opened) return _forensicAtDispose ?? string.Empty;
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        var formatList = ScanCommands.Length == 2 ? "$Error | Format-List * -Force | Out-String -Width 4096" : string.Empty;
        ps.AddScript(formatList + """

            foreach ($e in $Error) {
                if ($e -is [System.Management.Automation.ErrorRecord]) { $e.Exception.ToString(); $e.ErrorDetails.Message; $e.ErrorDetails.RecommendedAction; "$($e.TargetObject)" }
                elseif ($e -is [System.Exception]) { $e.ToString() }
            }
            """);
        return string.Join("\n", ps.Invoke().Select(o => o?.ToString()));
    }

    public ScriptedHost Host { get; }
    public string TempDir { get; }
    public string Home { get; }
    /// <summary>The runspace's current location.</summary>
    public string WorkDir { get; }
    public Runspace Runspace => _runspace;

    /// <summary>A variable's value from before this session changed it.</summary>
    public string? OriginalEnvironment(string name) =>
        _savedEnvironment.TryGetValue(name, out var saved) ? saved : Environment.GetEnvironmentVariable(name);

    /// <summary>Sets (or with null, removes) a process environment variable until Dispose.</summary>
    public void SetEnv(string name, string? value)
    {
        if (!_savedEnvironment.ContainsKey(name)) _savedEnvironment[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>
    /// Runs a script with verbose and debug on (so leak checks see them). Arguments are passed
    /// as $args; named values as variables.
    /// </summary>
    public PsResult Run(string script, params object?[] args) => Run(script, null, args);

    public PsResult Run(string script, IDictionary<string, object?>? variables, params object?[] args)
    {
        using var ps = Prepare(script, variables, args);
        var hostBefore = Host.Recorder.Text.Length;
        var progressBefore = Host.Recorder.Progress.Count;
        var output = new List<PSObject>();
        RuntimeException? terminating = null;
        try
        {
            output.AddRange(ps.Invoke());
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }
        return Collect(ps, output, terminating, hostBefore);
    }

    /// <summary>Starts a script without waiting, for Ctrl+C tests.</summary>
    public RunningScript Start(string script, params object?[] args)
    {
        var ps = Prepare(script, null, args);
        var hostBefore = Host.Recorder.Text.Length;
        var handle = ps.BeginInvoke();
        return new RunningScript(this, ps, handle, hostBefore);
    }

    internal PowerShell Prepare(string script, IDictionary<string, object?>? variables, object?[] args)
    {
        var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        _runspace.SessionStateProxy.SetVariable("VerbosePreference", ActionPreference.Continue);
        _runspace.SessionStateProxy.SetVariable("DebugPreference", ActionPreference.Continue);
        _runspace.SessionStateProxy.SetVariable("InformationPreference", ActionPreference.Continue);
        _runspace.SessionStateProxy.SetVariable("ProgressPreference", ActionPreference.Continue);
        if (variables != null)
            foreach (var pair in variables) _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
        ps.AddScript(script);
        foreach (var arg in args) ps.AddArgument(arg);
        return ps;
    }

    internal PsResult Collect(PowerShell ps, IEnumerable<PSObject> output, RuntimeException? terminating, int hostBefore)
    {
        var hostText = Host.Recorder.Text;
        return new PsResult
        {
            Session = this,
            Output = output.ToList(),
            Errors = ps.Streams.Error.ToList(),
            Warnings = ps.Streams.Warning.ToList(),
            Verbose = ps.Streams.Verbose.ToList(),
            Debug = ps.Streams.Debug.ToList(),
            Information = ps.Streams.Information.ToList(),
            Progress = ps.Streams.Progress.ToList(),
            HostText = hostText.Substring(Math.Min(hostBefore, hostText.Length)),
            Terminating = terminating,
        };
    }

    private static void EnsureModulePath()
    {
        lock (ModulePathGate)
        {
            if (_modulePathSet) return;
            // Only the staged module's folder: user or machine modules must not leak into tests.
            Environment.SetEnvironmentVariable("PSModulePath", Path.GetDirectoryName(RepoPaths.StagedModuleDirectory));
            // The engine saves its module analysis cache under the HOME of whichever session first
            // used it, after that session's folder was deleted. An unwritable location turns the
            // cache off (the documented way), so no test leaves a folder behind.
            Environment.SetEnvironmentVariable("PSModuleAnalysisCachePath", OperatingSystem.IsWindows() ? "NUL" : "/dev/null/naraauth-tests");
            _modulePathSet = true;
        }
    }

    /// <summary>Raised first on Dispose, so helpers the test started (a browser double) can finish before the folder goes.</summary>
    public event Action? Disposing;

    public void Dispose()
    {
        Disposing?.Invoke();
        try
        {
            if (_runspace.RunspaceStateInfo.State == RunspaceState.Opened && _forensicAtDispose == null) _forensicAtDispose = ForensicText();
        }
        catch (PSInvalidOperationException)
        {
            // A pipeline is still running (a test failed mid-way); nothing more to keep.
        }
        _runspace.Dispose();
        foreach (var pair in _savedEnvironment) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        DeleteTempDir();
    }

    /// <summary>The session's folder goes, even when a straggler (a helper process ending) writes into it while it is deleted.</summary>
    private void DeleteTempDir()
    {
        for (var attempt = 0; attempt < 3 && Directory.Exists(TempDir); attempt++)
        {
            try { Directory.Delete(TempDir, recursive: true); }
            catch (IOException) { Thread.Sleep(200); }
            catch (UnauthorizedAccessException) { Thread.Sleep(200); }
        }
    }
}

/// <summary>A script running in the background of a <see cref="PsSession"/>.</summary>
public sealed class RunningScript : IDisposable
{
    private readonly PsSession _session;
    private readonly PowerShell _ps;
    private readonly IAsyncResult _handle;
    private readonly int _hostBefore;

    internal RunningScript(PsSession session, PowerShell ps, IAsyncResult handle, int hostBefore)
    {
        _session = session;
        _ps = ps;
        _handle = handle;
        _hostBefore = hostBefore;
    }

    public bool IsCompleted => _handle.IsCompleted;

    /// <summary>Waits (bounded) until the host shows the text, e.g. the login code.</summary>
    public bool WaitForHostText(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_session.Host.Recorder.Text.Substring(Math.Min(_hostBefore, _session.Host.Recorder.Text.Length)).Contains(text, StringComparison.Ordinal)
                || _ps.Streams.Information.Any(i => i.MessageData?.ToString()?.Contains(text, StringComparison.Ordinal) == true))
                return true;
            if (_handle.IsCompleted) return false;
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>Presses Ctrl+C: stops the pipeline and returns how long stopping took.</summary>
    public TimeSpan Stop()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        _ps.Stop();
        return started.Elapsed;
    }

    public PsResult Finish(TimeSpan timeout)
    {
        Assert.True(_handle.AsyncWaitHandle.WaitOne(timeout), "The script did not finish in time.");
        var output = new List<PSObject>();
        RuntimeException? terminating = null;
        try
        {
            output.AddRange(_ps.EndInvoke(_handle));
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }
        return _session.Collect(_ps, output, terminating, _hostBefore);
    }

    public void Dispose() => _ps.Dispose();
}
