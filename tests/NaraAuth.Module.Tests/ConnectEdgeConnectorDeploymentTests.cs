using System.Management.Automation;
using System.Security;
using NaraAuth.TestSupport.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>Connect-EdgeConnector with deployment credentials, verified by the real WebSocket handshake.</summary>
public class ConnectEdgeConnectorDeploymentTests : IClassFixture<EmulatorFixture>
{
    private const string Id = "dep_abc123";
    private const string Secret = "sec_xyz789";
    private readonly EmulatorFixture _emulator;

    public ConnectEdgeConnectorDeploymentTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    private static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text) s.AppendChar(c);
        return s;
    }

    private static void AssertNoTokenWritten(PsSession session)
    {
        Assert.Equal(new[] { PsSession.InstallationConfigName }, Directory.GetFiles(session.WorkDir, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(session.Home, ".config", "naraauth", "device.json")));
    }

    [Fact]
    public void Parameters_with_a_SecureString_are_verified_by_the_handshake_and_write_no_file()
    {
        using var session = new PsSession();
        var result = session.Run("Connect-EdgeConnector -DeploymentId $id -DeploymentSecret $secret -BaseUrl $url",
            new Dictionary<string, object?> { ["id"] = Id, ["secret"] = Secure(Secret), ["url"] = _emulator.BaseUrl });
        dynamic c = result.Single<object>();
        Assert.Equal("Deployment", (string)c.Mode.ToString());
        Assert.Equal("Verified", (string)c.Status.ToString());
        Assert.Equal(Id, (string)c.DeploymentId);
        Assert.Equal("Parameters", (string)c.CredentialSource.ToString());
        Assert.Null((string?)c.TokenPath);
        Assert.Contains("deployment:" + Id, _emulator.State.EdgeConnector.AcceptedSockets);
        AssertNoTokenWritten(session);
        result.AssertNoSecret(Secret);
    }

    [Fact]
    public void Environment_pair_is_used_when_no_mode_is_chosen()
    {
        using var session = new PsSession();
        session.SetEnv("DEPLOYMENT_ID", Id);
        session.SetEnv("DEPLOYMENT_SECRET", Secret);
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        // A stored token is there too: the environment pair still wins, as in the runtime.
        WriteTokenFile(Path.Combine(session.WorkDir, "auth-token.json"), _emulator.State.MintToken());
        var before = File.ReadAllBytes(Path.Combine(session.WorkDir, "auth-token.json"));
        var result = session.Run("Connect-EdgeConnector");
        dynamic c = result.Single<object>();
        Assert.Equal("Deployment", (string)c.Mode.ToString());
        Assert.Equal("EnvironmentVariables", (string)c.CredentialSource.ToString());
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(session.WorkDir, "auth-token.json")));
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
        result.AssertNoSecret(Secret);
    }

    [Fact]
    public void Credentials_file_from_DEPLOYMENT_CREDENTIALS_PATH_is_used()
    {
        using var session = new PsSession();
        var file = Path.Combine(session.TempDir, "creds.json");
        File.WriteAllText(file, "{\"deploymentId\": \"" + Id + "\", \"deploymentSecret\": \"" + Secret + "\"}");
        session.SetEnv("DEPLOYMENT_CREDENTIALS_PATH", file);
        var result = session.Run("Connect-EdgeConnector -Deployment -BaseUrl $args[0]", _emulator.BaseUrl);
        dynamic c = result.Single<object>();
        Assert.Equal("CredentialsFile", (string)c.CredentialSource.ToString());
        Assert.Equal(file, (string)c.CredentialsPath);
        result.AssertNoSecret(Secret);
    }

    [Fact]
    public void SaveCredentialsTo_writes_an_owner_only_file_the_runtime_can_use_later()
    {
        using var session = new PsSession();
        var target = Path.Combine(session.TempDir, "srv", "conf", "deployment.json");
        var vars = new Dictionary<string, object?> { ["secret"] = Secure(Secret), ["url"] = _emulator.BaseUrl, ["target"] = target };

        var whatIf = session.Run("Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -BaseUrl $url -SaveCredentialsTo $target -WhatIf", vars);
        Assert.Contains("What if", whatIf.HostText);
        Assert.Contains(target, whatIf.HostText);
        Assert.False(Directory.Exists(Path.GetDirectoryName(target)));
        whatIf.AssertNoSecret(Secret);

        var result = session.Run("Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -BaseUrl $url -SaveCredentialsTo $target", vars);
        Assert.Equal(target, ((dynamic)result.Single<object>()).CredentialsPath);
        AssertPrivate(target);
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(target)))
        {
            Assert.Equal(Id, doc.RootElement.GetProperty("deploymentId").GetString());
            Assert.Equal(Secret, doc.RootElement.GetProperty("deploymentSecret").GetString());
        }
        result.AssertNoSecret(Secret);

        session.SetEnv("DEPLOYMENT_CREDENTIALS_PATH", target);
        var reuse = session.Run("Connect-EdgeConnector -BaseUrl $args[0]", _emulator.BaseUrl);
        Assert.Equal("CredentialsFile", ((dynamic)reuse.Single<object>()).CredentialSource.ToString());
        reuse.AssertNoSecret(Secret);
    }

    [Fact]
    public void Wrong_secret_is_rejected_with_the_servers_reason_and_nothing_is_saved()
    {
        using var session = new PsSession();
        const string wrong = "sec_wrong_but_secret_1234";
        var target = Path.Combine(session.TempDir, "srv", "deployment.json");
        var result = session.Run("Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -BaseUrl $url -SaveCredentialsTo $target",
            new Dictionary<string, object?> { ["secret"] = Secure(wrong), ["url"] = _emulator.BaseUrl, ["target"] = target });
        var error = result.AssertError("DeploymentCredentialsRejected", ErrorCategory.AuthenticationError);
        Assert.Contains("wrong deployment secret", error.Exception.Message);
        Assert.False(File.Exists(target));
        Assert.Empty(_emulator.State.EdgeConnector.AcceptedSockets);
        result.AssertNoSecret(wrong);
    }

    [Theory]
    [InlineData("DEPLOYMENT_ID", Id)]
    [InlineData("DEPLOYMENT_SECRET", Secret)]
    public void Half_of_the_environment_pair_is_its_own_error(string name, string value)
    {
        using var session = new PsSession();
        session.SetEnv(name, value);
        var result = session.Run("Connect-EdgeConnector -BaseUrl $args[0]", _emulator.BaseUrl);
        var error = result.AssertError("DeploymentEnvironmentIncomplete", ErrorCategory.InvalidArgument);
        Assert.Contains(name == "DEPLOYMENT_ID" ? "DEPLOYMENT_SECRET" : "DEPLOYMENT_ID", error.Exception.Message);
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/edge-connector/ws"));
        result.AssertNoSecret(Secret);
        AssertNoTokenWritten(session);
    }

    [Fact]
    public void Unreachable_platform_and_insecure_url_have_their_own_errors()
    {
        using var session = new PsSession();
        var vars = new Dictionary<string, object?> { ["secret"] = Secure(Secret) };
        var unreachable = session.Run("Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -BaseUrl http://127.0.0.1:9", vars);
        unreachable.AssertError("PlatformUnreachable", ErrorCategory.ConnectionError);
        unreachable.AssertNoSecret(Secret);

        var insecure = session.Run("Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -BaseUrl http://nara.example.com", vars);
        insecure.AssertError("InsecureBaseUrl", ErrorCategory.SecurityError);
        insecure.AssertNoSecret(Secret);
    }

    [Fact]
    public void Credentials_file_that_is_not_JSON_is_its_own_error()
    {
        using var session = new PsSession();
        var file = Path.Combine(session.TempDir, "creds.json");
        File.WriteAllText(file, "deploymentSecret=" + Secret);
        session.SetEnv("DEPLOYMENT_CREDENTIALS_PATH", file);
        var result = session.Run("Connect-EdgeConnector -Deployment -BaseUrl $args[0]", _emulator.BaseUrl);
        result.AssertError("DeploymentCredentialsFileInvalid", ErrorCategory.InvalidData);
        result.AssertNoSecret(Secret);
    }
}
