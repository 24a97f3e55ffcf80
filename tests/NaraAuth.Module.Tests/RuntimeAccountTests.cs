using System.Diagnostics;
using System.Management.Automation;
using NaraAuth.TestSupport.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>
/// Connect-EdgeConnector -RuntimeAccount through the engine, run as root for the account the Edge
/// Connector runs as (nobody): the token, the bundle and -SaveCredentialsTo belong to it, 0600 in
/// 0700; a run without it is mended by a run with it; Get-AuthToken says who owns the file; an
/// unknown account and -WhatIf write nothing.
/// </summary>
// Unix calls only after RequireRoot/RequireUnix, which skip on Windows.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class RuntimeAccountTests : IClassFixture<EmulatorFixture>
{
    private const string DeploymentId = "dep_abc123";
    private const string DeploymentSecret = "sec_xyz789";
    private readonly EmulatorFixture _emulator;

    public RuntimeAccountTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    private static void RequireRoot()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix owners; the Windows descriptor is proven in the Core tests and the Windows Pester job.");
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "Giving a file to another user needs root.");
    }

    /// <summary>"owner mode" as stat(1) prints it, read apart from the code under test.</summary>
    private static string OwnerAndMode(string path)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "%U %a", path }) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        Assert.True(p.WaitForExit(10_000), "stat hung");
        Assert.True(p.ExitCode == 0, "stat failed: " + p.StandardError.ReadToEnd());
        return output;
    }

    private const string Connect = "Connect-EdgeConnector -Token $args[0] -InstallPath $args[1] -BaseUrl $args[2]";

    [Fact]
    public void Token_and_bundle_written_by_root_belong_to_the_runtime_account_in_a_folder_made_for_it()
    {
        RequireRoot();
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var install = Path.Combine(session.WorkDir, "edge");
        // A way through for the runtime account, as an installation folder has.
        File.SetUnixFileMode(session.TempDir, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(session.WorkDir, (UnixFileMode)0x1ED);

        var result = session.Run(Connect + " -RuntimeAccount nobody -Verbose", jwt, install, _emulator.BaseUrl);
        Assert.Empty(result.Warnings);
        Assert.Equal("Connected", (string)((dynamic)result.Single<object>()).Status.ToString());
        Assert.Equal("nobody 600", OwnerAndMode(Path.Combine(install, "auth-token.json")));
        Assert.Equal("nobody 600", OwnerAndMode(Path.Combine(install, "default-bundle.json")));
        Assert.Equal("nobody 700", OwnerAndMode(install));
        Assert.Equal(jwt, TokenIn(Path.Combine(install, "auth-token.json")));
        Assert.Contains(result.Verbose, v => v.Message.Contains("runtime account 'nobody'"));
        result.AssertNoSecret(jwt);

        var report = session.Run("Get-AuthToken -InstallPath $args[0] -RuntimeAccount nobody", install);
        dynamic info = report.Single<object>();
        Assert.Equal("nobody", (string)info.Owner);
        Assert.True((bool)info.OwnerMatchesRuntimeAccount);
        Assert.Empty(report.Warnings);

        // The status report judges the runtime account's files as that account's own.
        var status = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken, EdgeConnectorBundle -InstallPath $args[0] -RuntimeAccount nobody", install);
        Assert.Null(status.Error);
        Assert.Equal(2, status.Output.Count);
        foreach (dynamic record in status.Output.Select(o => o.BaseObject))
        {
            Assert.Equal("nobody", (string)record.Owner);
            Assert.True((bool)record.OwnerMatchesRuntimeAccount);
            Assert.True((bool)record.IsProtected, (string)record.Problem);
            Assert.Equal("Valid", record.State.ToString());
        }
        dynamic asRoot = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken -InstallPath $args[0] -RuntimeAccount root", install).Single<object>();
        Assert.False((bool)asRoot.OwnerMatchesRuntimeAccount);
        status.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_run_without_the_runtime_account_is_mended_by_a_run_with_it_keeping_the_same_token()
    {
        RequireRoot();
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(lifetime: TimeSpan.FromHours(8));
        var install = Path.Combine(session.WorkDir, "edge");
        Assert.Equal("Connected", (string)((dynamic)session.Run(Connect, jwt, install, _emulator.BaseUrl).Single<object>()).Status.ToString());
        var token = Path.Combine(install, "auth-token.json");
        Assert.Equal("root 600", OwnerAndMode(token));

        var before = session.Run("Get-AuthToken -InstallPath $args[0] -RuntimeAccount nobody", install);
        dynamic info = before.Single<object>();
        Assert.Equal("root", (string)info.Owner);
        Assert.False((bool)info.OwnerMatchesRuntimeAccount);
        Assert.Contains(before.Warnings, w => w.Message.Contains("-RuntimeAccount 'nobody'"));

        var whatIf = session.Run(Connect + " -RuntimeAccount nobody -WhatIf", jwt, install, _emulator.BaseUrl);
        Assert.Contains("runtime account 'nobody'", whatIf.HostText);
        Assert.Equal("root 600", OwnerAndMode(token));

        var again = session.Run(Connect + " -RuntimeAccount nobody -Verbose", jwt, install, _emulator.BaseUrl);
        Assert.Equal("AlreadyConnected", (string)((dynamic)again.Single<object>()).Status.ToString());
        Assert.Equal("nobody 600", OwnerAndMode(token));
        Assert.Equal("nobody 600", OwnerAndMode(Path.Combine(install, "default-bundle.json")));
        Assert.Equal(jwt, TokenIn(token));
        Assert.Empty(Directory.GetFiles(install, "*.tmp"));
        Assert.Contains(again.Verbose, v => v.Message.Contains("Gave '" + token));
        Assert.Contains("only its files were given to the runtime account 'nobody'", again.HostText);

        // Once handed over, a further run has nothing to give.
        var third = session.Run(Connect + " -RuntimeAccount nobody -WhatIf", jwt, install, _emulator.BaseUrl);
        Assert.DoesNotContain("Give to the runtime account", third.HostText);
        again.AssertNoSecret(jwt);

        // Without -RuntimeAccount nothing is compared.
        var plain = session.Run("Get-AuthToken -InstallPath $args[0]", install);
        Assert.Null((bool?)((dynamic)plain.Single<object>()).OwnerMatchesRuntimeAccount);
    }

    [Fact]
    public void Deployment_credentials_saved_for_the_runtime_account_belong_to_it()
    {
        RequireRoot();
        using var session = new PsSession();
        var secret = new System.Net.NetworkCredential(string.Empty, DeploymentSecret).SecurePassword;
        var path = Path.Combine(session.WorkDir, "edge", "credentials.json");
        var result = session.Run("Connect-EdgeConnector -DeploymentId $id -DeploymentSecret $secret -BaseUrl $url -SaveCredentialsTo $path -RuntimeAccount nobody",
            new Dictionary<string, object?> { ["id"] = DeploymentId, ["secret"] = secret, ["url"] = _emulator.BaseUrl, ["path"] = path });
        dynamic c = result.Single<object>();
        Assert.Equal(path, (string)c.CredentialsPath);
        Assert.Equal("nobody 600", OwnerAndMode(path));
        Assert.Equal("nobody 700", OwnerAndMode(Path.GetDirectoryName(path)!));
        Assert.Contains(DeploymentSecret, File.ReadAllText(path));
        // The session's own folder is root's 0700: the runtime account could not get to the file.
        Assert.Contains(result.Warnings, w => w.Message.Contains($"'{session.TempDir}'") && w.Message.Contains("may not be able to reach"));
        result.AssertNoSecret(DeploymentSecret);
    }

    [Fact]
    public void An_unknown_runtime_account_is_refused_before_anything_is_written()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix user database; Windows translates names itself.");
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var result = session.Run(Connect + " -RuntimeAccount no-such-user-here", jwt, Path.Combine(session.WorkDir, "edge"), _emulator.BaseUrl);
        var error = result.AssertError("RuntimeAccountUnknown", ErrorCategory.ObjectNotFound);
        Assert.Contains("no-such-user-here", error.Exception.Message);
        Assert.Equal(new[] { PsSession.InstallationConfigName }, Directory.GetFileSystemEntries(session.WorkDir).Select(Path.GetFileName));
        result.AssertNoSecret(jwt);

        var report = session.Run("Get-AuthToken -RuntimeAccount no-such-user-here");
        report.AssertError("RuntimeAccountUnknown", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void WhatIf_with_a_runtime_account_names_it_and_writes_nothing()
    {
        RequireRoot();
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var result = session.Run(Connect + " -RuntimeAccount nobody -WhatIf", jwt, Path.Combine(session.WorkDir, "edge"), _emulator.BaseUrl);
        Assert.Empty(result.Output);
        Assert.Null(result.Error);
        Assert.Contains("What if", result.HostText);
        Assert.Contains("runtime account 'nobody'", result.HostText);
        Assert.Equal(new[] { PsSession.InstallationConfigName }, Directory.GetFileSystemEntries(session.WorkDir).Select(Path.GetFileName));
    }

    [Fact]
    public void AllowAdministrators_without_a_runtime_account_is_refused()
    {
        using var session = new PsSession();
        var result = session.Run(Connect + " -AllowAdministrators", _emulator.State.MintToken(), Path.Combine(session.WorkDir, "edge"), _emulator.BaseUrl);
        result.AssertError("AllowAdministratorsWithoutRuntimeAccount", ErrorCategory.InvalidArgument);
        Assert.Equal(new[] { PsSession.InstallationConfigName }, Directory.GetFileSystemEntries(session.WorkDir).Select(Path.GetFileName));
    }
}
