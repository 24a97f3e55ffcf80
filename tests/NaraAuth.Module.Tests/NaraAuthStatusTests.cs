using System.Management.Automation;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>Get-NaraAuthStatus on a machine with every kind of credential, made against the emulator or written as the tools write them.</summary>
public class NaraAuthStatusTests : IClassFixture<EmulatorFixture>
{
    private const string DeploymentSecret = "sec_xyz789";
    private const string EdgePlaneToken = "mcs_not_known_to_the_server_42";
    private readonly EmulatorFixture _emulator;

    public NaraAuthStatusTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
        _emulator.State.Oidc.AutoApprove = true;
        _emulator.State.Oidc.Interval = 1;
    }

    private static dynamic Of(PsResult result, string kind) =>
        result.Output.Select(o => (dynamic)o.BaseObject).Single(s => s.Kind.ToString() == kind);

    /// <summary>Logs in every way the module knows; returns the secrets, for the leak scan.</summary>
    private string[] EveryCredential(PsSession session, string edgePlaneToken)
    {
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var jwt = _emulator.State.MintToken(subject: "user_7", org: "org_1", lifetime: TimeSpan.FromHours(4));
        Assert.Null(session.Run("Connect-EdgeConnector -Token $args[0]", jwt).Error);

        var credentials = Path.Combine(session.TempDir, "deploy", "credentials.json");
        Directory.CreateDirectory(Path.GetDirectoryName(credentials)!);
        File.WriteAllText(credentials, "{\"deploymentId\": \"dep_abc123\", \"deploymentSecret\": \"" + DeploymentSecret + "\"}");
        UnixModes.Set(credentials, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        session.SetEnv("DEPLOYMENT_CREDENTIALS_PATH", credentials);

        var edgePlane = Path.Combine(session.Home, ".edgeplane", "session.json");
        Directory.CreateDirectory(Path.GetDirectoryName(edgePlane)!);
        File.WriteAllText(edgePlane, $$"""{"token":"{{edgePlaneToken}}","subject":"ada","email":"ada@example.com","expires_at":"{{DateTime.UtcNow.AddHours(8):yyyy-MM-ddTHH:mm:ss.fffZ}}","base_url":"{{_emulator.BaseUrl}}","session_id":7}""");
        UnixModes.Set(edgePlane, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -UseDeviceCode -NoBrowser", _emulator.BaseUrl + "/oidc").Error);
        var worker = session.Run("(Reset-WorkerToken -Force -AsPlainText).Token").Single<string>();
        return new[] { jwt, DeploymentSecret, edgePlaneToken, worker };
    }

    [Fact]
    public void Every_credential_on_the_machine_is_one_record_with_who_expiry_file_owner_and_protection()
    {
        using var session = new PsSession();
        var secrets = EveryCredential(session, EdgePlaneToken);

        var result = session.Run("Get-NaraAuthStatus");

        Assert.Null(result.Error);
        Assert.All(result.Output, o => Assert.Equal("NaraAuth.Models.CredentialStatusInfo", o.BaseObject.GetType().FullName));
        Assert.Equal(new[] { "EdgeConnectorToken", "EdgeConnectorBundle", "DeploymentCredentials", "EdgePlaneSession", "OidcSession", "WorkerToken" },
            result.Output.Select(o => ((dynamic)o.BaseObject).Kind.ToString()).Cast<string>().ToArray());
        var me = Environment.UserName;
        foreach (var record in result.Output.Select(o => (dynamic)o.BaseObject))
        {
            Assert.Equal("Valid", record.State.ToString());
            Assert.True((bool?)record.IsProtected, $"{record.Kind}: {record.Problem}");
            Assert.Equal(me, (string)record.Owner);
            Assert.True(File.Exists((string)record.Path));
            Assert.Null((bool?)record.VerifiedOnline);
        }

        dynamic token = Of(result, "EdgeConnectorToken");
        Assert.Equal("user_7", (string)token.Subject);
        Assert.Equal("org_1", (string)token.Organization);
        Assert.Equal(Path.Combine(session.WorkDir, "auth-token.json"), (string)token.Path);
        Assert.Equal("EdgeConnectorHome", (string)token.FoundBy);
        Assert.InRange(((DateTimeOffset)token.ExpiresOn - DateTimeOffset.UtcNow).TotalHours, 3.9, 4.01);
        Assert.Equal(Path.Combine(session.WorkDir, "default-bundle.json"), (string)Of(result, "EdgeConnectorBundle").Path);
        dynamic deployment = Of(result, "DeploymentCredentials");
        Assert.Equal("dep_abc123", (string)deployment.Subject);
        Assert.Equal("CredentialsFile", (string)deployment.FoundBy);
        dynamic edgePlane = Of(result, "EdgePlaneSession");
        Assert.Equal("ada", (string)edgePlane.Subject);
        Assert.Equal(_emulator.BaseUrl, (string)edgePlane.Issuer);
        dynamic oidc = Of(result, "OidcSession");
        Assert.Equal(_emulator.BaseUrl + "/oidc", ((string)oidc.Issuer).TrimEnd('/'));
        Assert.NotNull((DateTimeOffset?)oidc.ExpiresOn);
        Assert.Equal("ConfigFile", (string)Of(result, "WorkerToken").FoundBy);

        Assert.Equal(new[] { "EdgePlaneSession" }, session.Run("Get-NaraAuthStatus -Kind EdgePlaneSession").Output.Select(o => ((dynamic)o.BaseObject).Kind.ToString()).Cast<string>());
        foreach (var secret in secrets) result.AssertNoSecret(secret);
    }

    [Fact]
    public void An_empty_machine_reports_each_kind_missing_with_the_place_it_looked()
    {
        using var session = new PsSession(installationFolder: false);

        var result = session.Run("Get-NaraAuthStatus");

        Assert.Null(result.Error);
        Assert.Equal(6, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal("Missing", ((dynamic)o.BaseObject).State.ToString()));
        dynamic token = Of(result, "EdgeConnectorToken");
        Assert.Equal(Path.Combine(session.Home, ".config", "naraauth", "edge-connector", "auth-token.json"), (string)token.Path);
        Assert.Equal("UserFolder", (string)token.FoundBy);
        Assert.Null((bool?)token.IsProtected);
        Assert.Contains("Connect-EdgeConnector", (string)token.Problem);
        Assert.Equal(Path.Combine(session.Home, ".edgeplane", "session.json"), (string)Of(result, "EdgePlaneSession").Path);
        Assert.False(Directory.Exists(Path.Combine(session.Home, ".config", "naraauth")));
    }

    [Fact]
    public void A_token_file_others_can_read_is_unprotected_and_an_expired_token_is_expired()
    {
        if (!UnixModes.Available) return; // loose modes exist only on Unix; the ACL rule has its own tests
        using var session = new PsSession();
        var expired = _emulator.State.MintToken(lifetime: TimeSpan.FromMinutes(-5));
        var path = Path.Combine(session.WorkDir, "auth-token.json");
        File.WriteAllText(path, "{\"token\": \"" + expired + "\"}");
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        dynamic old = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken").Single<object>();
        Assert.Equal("Expired", old.State.ToString());
        Assert.True((bool?)old.IsProtected);

        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var result = session.Run("Get-NaraAuthStatus -Kind EdgeConnectorToken");
        dynamic loose = result.Single<object>();
        Assert.Equal("Unprotected", loose.State.ToString());
        Assert.False((bool?)loose.IsProtected);
        Assert.Contains("chmod 600", (string)loose.Problem);
        result.AssertNoSecret(expired);
    }

    [Fact]
    public void Verify_asks_each_server_and_reports_a_refused_credential_as_rejected()
    {
        using var session = new PsSession();
        var secrets = EveryCredential(session, EdgePlaneToken);

        var result = session.Run("Get-NaraAuthStatus -Verify");

        Assert.Null(result.Error);
        Assert.True((bool?)Of(result, "EdgeConnectorToken").VerifiedOnline);
        Assert.Equal("Valid", Of(result, "EdgeConnectorToken").State.ToString());
        Assert.True((bool?)Of(result, "DeploymentCredentials").VerifiedOnline);
        Assert.Equal(1, _emulator.State.Faults.CountOf("GET", "/api/edge-connector/ws"));
        // The EdgePlane server never issued this session: refused at whoami.
        dynamic edgePlane = Of(result, "EdgePlaneSession");
        Assert.Equal("Rejected", edgePlane.State.ToString());
        Assert.False((bool?)edgePlane.VerifiedOnline);
        Assert.Contains("did not accept the session", (string)edgePlane.Problem);
        Assert.Null((bool?)Of(result, "WorkerToken").VerifiedOnline);
        Assert.Contains("no read-only online check", (string)Of(result, "OidcSession").Problem);

        _emulator.State.EdgeConnector.Deployments["dep_abc123"] = "another-secret";
        dynamic deployment = session.Run("Get-NaraAuthStatus -Kind DeploymentCredentials -Verify").Single<object>();
        Assert.Equal("Rejected", deployment.State.ToString());
        foreach (var secret in secrets) result.AssertNoSecret(secret);
    }

    [Fact]
    public void Verify_of_an_accepted_EdgePlane_session_is_valid_and_an_unreachable_platform_leaves_it_unverified()
    {
        using var session = new PsSession();
        var login = _emulator.State.EdgePlane.Initiate();
        var grant = _emulator.State.EdgePlane.Complete(login.Nonce)!;
        var live = _emulator.State.EdgePlane.Exchange(grant, null)!;
        EveryCredential(session, live.Token);

        var result = session.Run("Get-NaraAuthStatus -Kind EdgePlaneSession, EdgeConnectorToken -Verify -BaseUrl http://127.0.0.1:9");

        dynamic edgePlane = Of(result, "EdgePlaneSession");
        Assert.Equal("Valid", edgePlane.State.ToString());
        Assert.True((bool?)edgePlane.VerifiedOnline);
        dynamic token = Of(result, "EdgeConnectorToken");
        Assert.Equal("Unverified", token.State.ToString());
        Assert.Null((bool?)token.VerifiedOnline);
        result.AssertNoSecret(live.Token);
    }

    [Fact]
    public void Credentials_saved_for_a_later_runtime_are_reported_from_CredentialsPath_and_verified()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        var saved = Path.Combine(session.WorkDir, "saved", "deployment.json");
        Assert.Null(session.Run("Connect-EdgeConnector -Deployment -DeploymentId dep_abc123 -DeploymentSecret $args[0] -SaveCredentialsTo $args[1]",
            new System.Net.NetworkCredential(string.Empty, DeploymentSecret).SecurePassword, saved).Error);

        var result = session.Run("Get-NaraAuthStatus -Kind DeploymentCredentials -CredentialsPath $args[0] -Verify", saved);
        dynamic deployment = result.Single<object>();
        Assert.Equal(("Valid", "dep_abc123", saved, "-CredentialsPath"), (deployment.State.ToString(), (string)deployment.Subject, (string)deployment.Path, (string)deployment.FoundBy));
        Assert.True((bool?)deployment.IsProtected);
        Assert.True((bool?)deployment.VerifiedOnline);
        result.AssertNoSecret(DeploymentSecret);

        dynamic missing = session.Run("Get-NaraAuthStatus -Kind DeploymentCredentials -CredentialsPath $args[0]", saved + ".gone").Single<object>();
        Assert.Equal("Missing", missing.State.ToString());
    }
}
