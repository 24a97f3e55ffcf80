using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NaraAuth.Demo;
using NaraAuth.Emulator;

// Finds the staged module the build produced (out/NaraAuth beside NaraAuth.sln).
var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root != null && !File.Exists(Path.Combine(root.FullName, "NaraAuth.sln"))) root = root.Parent;
if (root == null)
{
    Console.Error.WriteLine("Run this from the NaraAuth source tree (NaraAuth.sln not found).");
    return 2;
}
var manifest = Path.Combine(root.FullName, "out", "NaraAuth", "NaraAuth.psd1");

await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { PreApprove = true });
var baseUrl = emulator.BaseUrl.ToString().TrimEnd('/');
Console.WriteLine($"Emulator (pre-approving browser logins) at {baseUrl}");

var install = Directory.CreateTempSubdirectory("naraauth-demo-").FullName;
Environment.SetEnvironmentVariable("NARA_BASE_URL", baseUrl);
Environment.SetEnvironmentVariable("EDGE_CONNECTOR_HOME", install);
// The demo's logins (EdgePlane session, device id, worker config) stay in its own temporary
// profile, never the user's real one.
var profile = Path.Combine(install, "profile");
Directory.CreateDirectory(profile);
foreach (var name in new[] { "HOME", "USERPROFILE" }) Environment.SetEnvironmentVariable(name, profile);
Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", Path.Combine(profile, ".config"));
Environment.SetEnvironmentVariable("APPDATA", Path.Combine(profile, "AppData", "Roaming"));
Environment.SetEnvironmentVariable("LOCALAPPDATA", Path.Combine(profile, "AppData", "Local"));
Environment.SetEnvironmentVariable("PSModulePath", Path.GetDirectoryName(Path.GetDirectoryName(manifest)));
// The demo plays a person at a console, not a CI job, even when run inside CI.
foreach (var name in new[] { "CI", "TF_BUILD", "GITHUB_ACTIONS" }) Environment.SetEnvironmentVariable(name, null);

var host = new ConsoleHost();
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
runspace.SessionStateProxy.Path.SetLocation(install);
runspace.SessionStateProxy.SetVariable("DemoState", emulator.State);
runspace.SessionStateProxy.SetVariable("NaraBaseUrl", baseUrl);

using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddScript($"Import-Module '{manifest.Replace("'", "''")}' -ErrorAction Stop").AddStatement();
ps.AddScript(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "demo.ps1"))).AddCommand("Out-Default");
try
{
    ps.Invoke();
}
catch (RuntimeException e)
{
    Console.Error.WriteLine("Demo failed: " + e.Message);
    return 1;
}
foreach (var error in ps.Streams.Error) Console.Error.WriteLine("ERROR: " + error);
try { Directory.Delete(install, recursive: true); } catch (IOException) { }
Console.WriteLine(ps.Streams.Error.Count == 0 ? "Demo finished." : "Demo finished with errors.");
return ps.Streams.Error.Count == 0 ? 0 : 1;
