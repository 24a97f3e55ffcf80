using System.Collections;
using NaraAuth.Module.Tests.Harness;
using YamlDotNet.RepresentationModel;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>
/// The scripts in docs/examples, run as they are against the emulator in the hosted engine: the
/// onboarding script (twice: the second run must change nothing), the helpdesk browser login
/// (approved and denied), and the inline scripts of azure-pipelines.yml with the pipeline's
/// environment.
/// </summary>
public class ExamplesTests : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string DeploymentId = "dep_abc123";
    private const string DeploymentSecret = "sec_xyz789";
    private readonly EmulatorFixture _emulator;

    public ExamplesTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
        _emulator.State.EdgeConnector.IntervalSeconds = 0.2;
        _emulator.State.ServerTokens.Clear();
        _emulator.State.Agents.Clear();
    }

    private static string Example(string name) => Path.Combine(RepoPaths.Root, "docs", "examples", name);

    /// <summary>Runs an example script file with arguments given as named variables (no execution policy involved on any OS).</summary>
    private const string RunExample = "$example = [scriptblock]::Create([System.IO.File]::ReadAllText($examplePath)); ";

    /// <summary>An installation directory as the product leaves it: config.json pointing to the platform.</summary>
    private string Installation(PsSession session, string name)
    {
        var dir = Path.Combine(session.TempDir, "machines", name, "EdgeConnector");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), "{\"platformUrl\": \"" + _emulator.BaseUrl + "\"}");
        return dir;
    }

    private sealed record Fleet(string Kiosk1, string Kiosk2, string Server, string Foreign, string HandoverJwt, string RawJwt, string ForeignJwt)
    {
        public Dictionary<string, object?> Variables(string examplePath) => new()
        {
            ["examplePath"] = examplePath,
            ["k1"] = Kiosk1, ["k2"] = Kiosk2, ["srv"] = Server, ["foreign"] = Foreign,
            ["rawJwt"] = RawJwt, ["foreignJwt"] = ForeignJwt,
            ["secrets"] = new Hashtable { [DeploymentId] = DeploymentSecret },
        };
    }

    private Fleet NewFleet(PsSession session)
    {
        var handover = _emulator.State.MintToken(subject: "kiosk_1", lifetime: TimeSpan.FromDays(3));
        var fleet = new Fleet(Installation(session, "kiosk-01"), Installation(session, "kiosk-02"), Installation(session, "srv-03"), Installation(session, "kiosk-04"),
            handover, _emulator.State.MintToken(subject: "kiosk_2", lifetime: TimeSpan.FromDays(3)),
            _emulator.State.MintToken(subject: "intruder", org: "org_2", lifetime: TimeSpan.FromDays(3)));
        WriteTokenFile(Path.Combine(session.TempDir, "handover", "kiosk-01.json"), handover);
        return fleet;
    }

    // The admin's script: a machine list, a secret source (the test's stands in for Get-Secret), one call.
    private const string OnboardFleet = RunExample + """
        $machines = @(
            [pscustomobject]@{ Machine = 'kiosk-01'; InstallPath = $k1; Token = [System.IO.Path]::Combine($k1, '..', '..', '..', 'handover', 'kiosk-01.json') }
            [pscustomobject]@{ Machine = 'kiosk-02'; InstallPath = $k2; Token = $rawJwt }
            [pscustomobject]@{ Machine = 'srv-03'; InstallPath = $srv; DeploymentId = 'dep_abc123' }
            [pscustomobject]@{ Machine = 'kiosk-04'; InstallPath = $foreign; Token = $foreignJwt }
        )
        $fromVault = { param($id) [System.Net.NetworkCredential]::new('', $secrets[$id]).SecurePassword }
        $machines | & $example -Organization org_1 -DeploymentSecretProvider $fromVault @args
        """;

    private static Dictionary<string, dynamic> ByMachine(PsResult result) =>
        result.Output.Select(o => (dynamic)o).ToDictionary(o => (string)o.Machine, o => o);

    private void AssertNoSecrets(PsResult result, Fleet fleet)
    {
        result.AssertNoSecret(fleet.HandoverJwt);
        result.AssertNoSecret(fleet.RawJwt);
        result.AssertNoSecret(fleet.ForeignJwt);
        result.AssertNoSecret(DeploymentSecret);
    }

    [Fact]
    public void Onboarding_script_onboards_each_machine_and_a_second_run_changes_nothing()
    {
        using var session = new PsSession();
        var fleet = NewFleet(session);
        var path = Example("Onboard-EdgeConnector.ps1");

        var first = session.Run(OnboardFleet, fleet.Variables(path));
        Assert.Null(first.Terminating);
        var report = ByMachine(first);
        Assert.Equal(4, report.Count);
        Assert.Equal("Connected", (string)report["kiosk-01"].Status);
        Assert.Equal("Connected", (string)report["kiosk-02"].Status);
        Assert.Equal("org_1", (string)report["kiosk-01"].Organization);
        Assert.Equal("Verified", (string)report["srv-03"].Status);
        Assert.Equal("Failed", (string)report["kiosk-04"].Status); // another organization: reported, the others go on
        Assert.Equal("OrganizationMismatch", ((string)report["kiosk-04"].ErrorId).Split(',')[0]);
        Assert.Contains(first.Warnings, w => w.Message.StartsWith("kiosk-04:"));

        Assert.Equal(fleet.HandoverJwt, TokenIn(Path.Combine(fleet.Kiosk1, "auth-token.json")));
        Assert.Equal(fleet.RawJwt, TokenIn(Path.Combine(fleet.Kiosk2, "auth-token.json")));
        var written = new[]
        {
            Path.Combine(fleet.Kiosk1, "auth-token.json"), Path.Combine(fleet.Kiosk1, "default-bundle.json"),
            Path.Combine(fleet.Kiosk2, "auth-token.json"), Path.Combine(fleet.Kiosk2, "default-bundle.json"),
            Path.Combine(fleet.Server, "deployment.json"),
        };
        foreach (var file in written) AssertPrivate(file);
        Assert.False(File.Exists(Path.Combine(fleet.Server, "auth-token.json")), "Deployment mode writes no token file.");
        Assert.False(File.Exists(Path.Combine(fleet.Foreign, "auth-token.json")));
        Assert.Contains("deployment:" + DeploymentId, _emulator.State.EdgeConnector.AcceptedSockets);
        AssertNoSecrets(first, fleet);

        var snapshot = written.ToDictionary(f => f, f => (File.ReadAllBytes(f), File.GetLastWriteTimeUtc(f)));
        _emulator.State.Faults.Clear(); // resets the request counts

        var second = session.Run(OnboardFleet, fleet.Variables(path));
        var again = ByMachine(second);
        Assert.Equal("AlreadyConnected", (string)again["kiosk-01"].Status);
        Assert.Equal("AlreadyConnected", (string)again["kiosk-02"].Status);
        Assert.Equal("AlreadyVerified", (string)again["srv-03"].Status);
        Assert.Equal("Failed", (string)again["kiosk-04"].Status);
        foreach (var (file, (bytes, time)) in snapshot)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
            Assert.Equal(time, File.GetLastWriteTimeUtc(file));
        }
        // Nothing that creates or downloads anything: no login started, no bundle fetched, no token made.
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/edge-connector/bundles/default"));
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
        Assert.Equal(0, _emulator.State.ServerTokens.CreationCount);
        AssertNoSecrets(second, fleet);
    }

    [Fact]
    public void Onboarding_script_passes_WhatIf_through_and_writes_nothing()
    {
        using var session = new PsSession();
        var fleet = NewFleet(session);
        var result = session.Run(OnboardFleet + " -WhatIf", fleet.Variables(Example("Onboard-EdgeConnector.ps1")));
        var report = ByMachine(result);
        Assert.Equal("WhatIf", (string)report["kiosk-01"].Status);
        Assert.Equal("WhatIf", (string)report["kiosk-02"].Status);
        Assert.Equal("WhatIf", (string)report["srv-03"].Status);
        Assert.Contains("What if", result.HostText);
        foreach (var dir in new[] { fleet.Kiosk1, fleet.Kiosk2, fleet.Server, fleet.Foreign })
            Assert.Equal(new[] { "config.json" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/edge-connector/bundles/default"));
        AssertNoSecrets(result, fleet);
    }

    [Fact]
    public void Onboarding_script_without_any_credential_fails_that_machine_instead_of_prompting()
    {
        using var session = new PsSession();
        var dir = Installation(session, "kiosk-09");
        var result = session.Run(RunExample + "[pscustomobject]@{ InstallPath = $dir } | & $example",
            new Dictionary<string, object?> { ["examplePath"] = Example("Onboard-EdgeConnector.ps1"), ["dir"] = dir });
        Assert.Null(result.Terminating);
        dynamic row = Assert.Single(result.Output);
        Assert.Equal("Failed", (string)row.Status.ToString());
        Assert.Equal("EdgeConnector", (string)row.Machine); // named after the folder when no name is given
        Assert.Contains("Helpdesk-Login.ps1", (string)row.Detail);
        Assert.Equal("NoCredentialForMachine", (string)row.ErrorId);
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
    }

    [Fact]
    public void Onboarding_script_with_its_own_defaults_leaves_an_emulator_token_alone_on_the_second_run()
    {
        using var session = new PsSession();
        var dir = Installation(session, "kiosk-05");
        // The emulator's own lifetime (8 hours, as the platform's), not one chosen to suit the script.
        var jwt = _emulator.State.MintToken(subject: "kiosk_5");
        var variables = new Dictionary<string, object?> { ["examplePath"] = Example("Onboard-EdgeConnector.ps1"), ["dir"] = dir, ["jwt"] = jwt };
        const string once = RunExample + "[pscustomobject]@{ InstallPath = $dir; Token = $jwt } | & $example";

        var first = session.Run(once, variables);
        Assert.Equal("Connected", (string)((dynamic)Assert.Single(first.Output)).Status);
        var tokenFile = Path.Combine(dir, "auth-token.json");
        var written = File.ReadAllText(tokenFile);

        var second = session.Run(once, variables);
        Assert.Null(second.Terminating);
        dynamic row = Assert.Single(second.Output);
        Assert.Equal("AlreadyConnected", (string)row.Status);
        Assert.Equal(written, File.ReadAllText(tokenFile));
        second.AssertNoSecret(jwt);
    }

    [Fact]
    public void Onboarding_script_without_SecretManagement_says_what_to_install_or_pass()
    {
        using var session = new PsSession();
        Assert.Empty(session.Run("Get-Command Get-Secret -ErrorAction SilentlyContinue").Output);
        var dir = Installation(session, "srv-06");
        var result = session.Run(RunExample + "[pscustomobject]@{ InstallPath = $dir; DeploymentId = 'dep_abc123' } | & $example -WarningAction SilentlyContinue",
            new Dictionary<string, object?> { ["examplePath"] = Example("Onboard-EdgeConnector.ps1"), ["dir"] = dir });
        Assert.Null(result.Terminating);
        dynamic row = Assert.Single(result.Output);
        Assert.Equal("Failed", (string)row.Status);
        Assert.Equal("SecretManagementMissing", (string)row.ErrorId);
        var detail = (string)row.Detail;
        Assert.Contains("Install-PSResource Microsoft.PowerShell.SecretManagement", detail);
        Assert.Contains("-DeploymentSecretProvider", detail);
        Assert.DoesNotContain("is not recognized", detail);
        Assert.False(File.Exists(Path.Combine(dir, "deployment.json")));
    }

    private static PsSession NewBrowserSession()
    {
        var session = new PsSession();
        session.SetEnv("LOCALAPPDATA", Path.Combine(session.Home, ".config"));
        return session;
    }

    private const string Helpdesk = RunExample + "& $example -InstallPath $dir";

    [Fact]
    public void Helpdesk_login_shows_who_is_logged_in_for_which_organization_until_when()
    {
        using var session = NewBrowserSession();
        var browser = new BrowserDouble(session);
        var dir = Installation(session, "desk-01");
        var variables = new Dictionary<string, object?> { ["examplePath"] = Example("Helpdesk-Login.ps1"), ["dir"] = dir };

        session.Runspace.SessionStateProxy.SetVariable("examplePath", variables["examplePath"]);
        session.Runspace.SessionStateProxy.SetVariable("dir", dir);
        using var running = session.Start(Helpdesk);
        var url = browser.WaitForUrl(Patience);
        var login = _emulator.State.EdgeConnector.Logins.Single();
        Assert.True(running.WaitForHostText(login.Code, Patience), "The code was not shown.");
        BrowserDouble.Answer(url, "approve", expectedCode: login.Code);
        var result = running.Finish(Patience);

        Assert.Null(result.Terminating);
        dynamic c = result.Single<object>();
        Assert.Equal("Connected", (string)c.Status.ToString());
        var shown = string.Join("\n", result.Information.Select(i => i.MessageData?.ToString()));
        Assert.Contains("Logged in: ada@example.com (user_1) for Acme (org_1) until ", shown);
        Assert.Contains(result.Information, i => i.Tags.Contains("PSHOST") && i.MessageData.ToString()!.StartsWith("Logged in:"));
        Assert.Equal(login.Token, TokenIn(Path.Combine(dir, "auth-token.json")));
        result.AssertNoSecret(login.Token!);

        // Run again: already logged in, no new login started, the browser not opened again.
        _emulator.State.Faults.Clear();
        var again = session.Run(Helpdesk, variables);
        Assert.Equal("AlreadyConnected", (string)((dynamic)again.Single<object>()).Status.ToString());
        Assert.Contains(again.Information, i => i.MessageData.ToString()!.StartsWith("Already logged in: "));
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
        again.AssertNoSecret(login.Token!);
    }

    [Fact]
    public void Helpdesk_login_explains_a_denied_login_and_keeps_the_error()
    {
        using var session = NewBrowserSession();
        var browser = new BrowserDouble(session);
        var dir = Installation(session, "desk-02");
        session.Runspace.SessionStateProxy.SetVariable("examplePath", Example("Helpdesk-Login.ps1"));
        session.Runspace.SessionStateProxy.SetVariable("dir", dir);

        using var running = session.Start(Helpdesk);
        BrowserDouble.Answer(browser.WaitForUrl(Patience), "deny");
        var result = running.Finish(Patience);

        Assert.Empty(result.Output);
        Assert.Null(result.Terminating);
        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("LoginDenied"));
        Assert.Contains(result.Information, i => i.Tags.Contains("PSHOST") && i.MessageData.ToString()!.StartsWith("Not logged in. The login was denied"));
        Assert.False(File.Exists(Path.Combine(dir, "auth-token.json")));
    }

    [Fact]
    public void Helpdesk_login_explains_an_expired_code()
    {
        using var session = NewBrowserSession();
        _emulator.State.EdgeConnector.CodeLifetime = TimeSpan.FromSeconds(1);
        var dir = Installation(session, "desk-03");
        var result = session.Run(Helpdesk + " -NoBrowser",
            new Dictionary<string, object?> { ["examplePath"] = Example("Helpdesk-Login.ps1"), ["dir"] = dir });
        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("LoginCodeExpired"));
        Assert.Contains(result.Information, i => i.MessageData.ToString()!.StartsWith("Not logged in. The code expired"));
        Assert.Empty(result.Output);
    }

    /// <summary>A step of azure-pipelines.yml: its inline script and its env: mapping.</summary>
    internal sealed record PipelineStep(string DisplayName, string Script, Dictionary<string, string> Env);

    internal static (Dictionary<string, string> Variables, List<PipelineStep> Steps) ReadPipeline(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path)) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? string.Empty;
        static Dictionary<string, string> Map(YamlMappingNode? node) =>
            node?.Children.ToDictionary(p => Text(p.Key), p => Text(p.Value)) ?? new();

        var variables = Map(root.Children.TryGetValue("variables", out var v) ? (YamlMappingNode)v : null);
        var steps = new List<PipelineStep>();
        foreach (YamlMappingNode step in (YamlSequenceNode)root.Children["steps"])
        {
            var inputs = (YamlMappingNode)step.Children["inputs"];
            Assert.Equal("inline", Text(inputs.Children["targetType"]));
            Assert.Equal("true", Text(inputs.Children["pwsh"]));
            steps.Add(new PipelineStep(Text(step.Children["displayName"]), Text(inputs.Children["script"]),
                Map(step.Children.TryGetValue("env", out var env) ? (YamlMappingNode)env : null)));
        }
        return (variables, steps);
    }

    [Fact]
    public void Azure_pipeline_steps_run_the_agent_with_the_server_token_and_never_show_it()
    {
        var (variables, steps) = ReadPipeline(Example("azure-pipelines.yml"));
        Assert.Equal(3, steps.Count);
        var token = _emulator.State.ServerTokens.Create("org_1", "CI Pipeline", DateTimeOffset.UtcNow).Secret;
        // The pipeline's variables, with the platform pointed at the emulator, plus the secret variable.
        variables["NARA_BASE_URL"] = _emulator.BaseUrl;
        var macros = new Dictionary<string, string>(variables) { ["NARA_SERVER_TOKEN"] = token };

        var results = new List<PsResult>();
        foreach (var step in steps)
        {
            // Each step is its own pwsh process on the agent: a fresh engine without the module imported.
            using var session = new PsSession(importModule: false);
            session.SetEnv("TF_BUILD", "True");
            session.SetEnv("BUILD_BUILDID", "4711");
            foreach (var (name, value) in variables) session.SetEnv(name.Replace('.', '_').ToUpperInvariant(), value);
            foreach (var (name, value) in step.Env)
                session.SetEnv(name, System.Text.RegularExpressions.Regex.Replace(value, @"\$\(([^)]+)\)", m => macros[m.Groups[1].Value]));
            var result = session.Run(step.Script);
            Assert.True(result.Terminating == null && result.Errors.Count == 0, $"Step '{step.DisplayName}' failed: {result.Error}");
            results.Add(result);
        }

        var manifestVersion = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(RepoPaths.StagedManifest), @"ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value;
        Assert.Equal(manifestVersion, results[0].Output.Single().ToString());
        var runs = _emulator.State.Agents.Runs;
        Assert.Equal(2, runs.Count);
        Assert.Equal("summarizeTicket", runs[0].AgentName);
        Assert.Equal("1234", runs[0].Args["ticketNumber"]!.GetValue<string>());
        Assert.Equal("classifyEmail", runs[1].AgentName);
        Assert.Equal("4711", runs[1].Args["messageId"]!.GetValue<string>());
        Assert.All(runs, r => Assert.Equal("token:CI Pipeline", r.Caller));
        Assert.Equal("completed", (string)((dynamic)results[1].Output.Single()).status);
        // Not in any stream or the host, except on a masking line (which AssertNoSecret allows).
        foreach (var result in results) result.AssertNoSecret(token);
        Assert.Equal(1, _emulator.State.ServerTokens.CreationCount); // the pipeline creates none
    }

    [Fact]
    public void Readme_lists_every_exported_cmdlet_once()
    {
        using var session = new PsSession();
        var exported = session.Run("(Get-Module NaraAuth).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).ToList();
        Assert.Contains("Disconnect-EdgeConnector", exported);
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        foreach (var cmdlet in exported)
            Assert.Single(rows, r => r.StartsWith("| `" + cmdlet + "` |", StringComparison.Ordinal));
    }
}
