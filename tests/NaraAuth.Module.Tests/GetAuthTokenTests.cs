using System.Management.Automation;
using System.Security;
using NaraAuth.Module.Tests.Harness;

namespace NaraAuth.Module.Tests;

public class GetAuthTokenTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public GetAuthTokenTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    private static string WriteTokenFile(string directory, string token, string fileName = "auth-token.json") =>
        TestTokenFile.WriteIn(directory, token, fileName);

    [Fact]
    public void Reads_a_token_file_written_by_another_program_from_the_installation()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(subject: "user_42", org: "org_1", role: "member", lifetime: TimeSpan.FromHours(2));
        var path = WriteTokenFile(session.WorkDir, jwt);

        var result = session.Run("Get-AuthToken");
        dynamic info = result.Single<object>();
        Assert.Equal(path, (string)info.Path);
        Assert.Equal("EdgeConnectorHome", (string)info.Source.ToString());
        Assert.Equal("user_42", (string)info.Subject);
        Assert.Equal("org_1", (string)info.Organization);
        Assert.Equal("Acme", (string)info.OrganizationName);
        Assert.Equal("member", (string)info.Role);
        Assert.False((bool)info.IsExpired);
        Assert.InRange(((TimeSpan)info.ExpiresIn).TotalMinutes, 118, 120.5);
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 10, 30, 0, TimeSpan.Zero), (DateTimeOffset)info.SavedAt);
        Assert.IsType<SecureString>((object)info.Token);
        Assert.Empty(result.Warnings);
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Path_precedence_follows_the_protocol()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var home = Path.Combine(session.TempDir, "ec-home");
        WriteTokenFile(home, jwt);
        session.SetEnv("EDGE_CONNECTOR_HOME", home);
        Assert.Equal("EdgeConnectorHome", session.Run("(Get-AuthToken).Source").Output.Single().ToString());

        // config.json in the installation directory names another file inside it.
        var configured = WriteTokenFile(Path.Combine(home, "secrets"), jwt, "custom.json");
        File.WriteAllText(Path.Combine(home, "config.json"), "{\"authTokenPath\": \"secrets/custom.json\"}");
        var fromConfig = session.Run("Get-AuthToken").Single<object>();
        Assert.Equal("ConfigFile", ((dynamic)fromConfig).Source.ToString());
        Assert.Equal(configured, ((dynamic)fromConfig).Path);

        var fromEnv = WriteTokenFile(Path.Combine(session.TempDir, "env"), jwt);
        session.SetEnv("AUTH_TOKEN_PATH", fromEnv);
        Assert.Equal(fromEnv, session.Run("(Get-AuthToken).Path").Output.Single().ToString());

        var install = Path.Combine(session.TempDir, "install");
        WriteTokenFile(install, jwt);
        // -InstallPath changes the installation directory, but AUTH_TOKEN_PATH still wins.
        Assert.Equal(fromEnv, session.Run("(Get-AuthToken -InstallPath $args[0]).Path", install).Output.Single().ToString());
        session.SetEnv("AUTH_TOKEN_PATH", null);
        Assert.Equal("InstallPath", session.Run("(Get-AuthToken -InstallPath $args[0]).Source", install).Output.Single().ToString());
    }

    [Fact]
    public void AsPlainText_returns_the_same_details_with_the_token_as_a_string()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        WriteTokenFile(session.WorkDir, jwt);
        var result = session.Run("Get-AuthToken -AsPlainText");
        dynamic info = result.Single<object>();
        Assert.Equal("AuthTokenPlainTextInfo", ((object)info).GetType().Name);
        Assert.Equal(jwt, (string)info.Token);
        Assert.Equal("ada@example.com", (string)info.Email);
    }

    [Fact]
    public void AsPlainText_in_Azure_Pipelines_masks_the_token_before_writing_it()
    {
        using var session = new PsSession();
        session.SetEnv("TF_BUILD", "True");
        var jwt = _emulator.State.MintToken();
        WriteTokenFile(session.WorkDir, jwt);
        var result = session.Run("(Get-AuthToken -AsPlainText).Token");
        Assert.Equal(jwt, result.Single<string>());
        Assert.Contains("##vso[task.setsecret]" + jwt, result.HostText);
    }

    [Fact]
    public void Missing_file_is_its_own_error_and_says_where_it_looked()
    {
        using var session = new PsSession();
        var result = session.Run("Get-AuthToken");
        var error = result.AssertError("TokenFileNotFound", ErrorCategory.ObjectNotFound);
        Assert.Contains(Path.Combine(session.WorkDir, "auth-token.json"), error.Exception.Message);
        Assert.Contains("Connect-EdgeConnector", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void File_that_is_not_JSON_is_its_own_error_and_its_content_is_not_echoed()
    {
        using var session = new PsSession();
        File.WriteAllText(Path.Combine(session.WorkDir, "auth-token.json"), "eyJhbGciOiJSUzI1NiJ9.secret-part not json");
        var result = session.Run("Get-AuthToken");
        result.AssertError("TokenFileNotJson", ErrorCategory.InvalidData);
        result.AssertNoSecret("secret-part");
    }

    [Fact]
    public void File_without_token_field_is_its_own_error()
    {
        using var session = new PsSession();
        File.WriteAllText(Path.Combine(session.WorkDir, "auth-token.json"), "{\"savedAt\": \"2025-01-15T10:30:00.000Z\"}");
        session.Run("Get-AuthToken").AssertError("TokenFileMissingToken", ErrorCategory.InvalidData);
    }

    [Fact]
    public void Malformed_jwt_is_its_own_error_and_is_not_echoed()
    {
        using var session = new PsSession();
        WriteTokenFile(session.WorkDir, "not-a-jwt-but-secret");
        var result = session.Run("Get-AuthToken");
        result.AssertError("MalformedJwt", ErrorCategory.InvalidData);
        result.AssertNoSecret("not-a-jwt-but-secret");
    }

    [Fact]
    public void Unsigned_jwt_is_refused()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(alg: "none");
        WriteTokenFile(session.WorkDir, jwt);
        var result = session.Run("Get-AuthToken");
        result.AssertError("UnsignedJwt", ErrorCategory.SecurityError);
        result.AssertNoSecret(jwt.TrimEnd('.'));
    }

    [Fact]
    public void Unreadable_file_is_its_own_error()
    {
        using var session = new PsSession();
        var path = WriteTokenFile(session.WorkDir, _emulator.State.MintToken());
        // An exclusive lock makes the read fail for every user, root included (.NET honours it on Unix too).
        using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            session.Run("Get-AuthToken").AssertError("TokenFileUnreadable", ErrorCategory.ReadError);
    }

    [Fact]
    public void Directory_in_place_of_the_file_is_an_unreadable_file_error()
    {
        using var session = new PsSession();
        Directory.CreateDirectory(Path.Combine(session.WorkDir, "auth-token.json"));
        var result = session.Run("Get-AuthToken -Path $args[0]", Path.Combine(session.WorkDir, "auth-token.json"));
        result.AssertError("TokenFileNotFound", ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void Expired_token_fails_unless_AllowExpired()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(lifetime: TimeSpan.FromHours(-1));
        WriteTokenFile(session.WorkDir, jwt);
        var failed = session.Run("Get-AuthToken");
        failed.AssertError("TokenExpired", ErrorCategory.AuthenticationError);
        failed.AssertNoSecret(jwt);

        var allowed = session.Run("Get-AuthToken -AllowExpired");
        dynamic info = allowed.Output.Single().BaseObject;
        Assert.True((bool)info.IsExpired);
        Assert.Contains(allowed.Warnings, w => w.Message.Contains("expired"));
    }

    [Fact]
    public void Warns_when_the_token_expires_soon()
    {
        using var session = new PsSession();
        WriteTokenFile(session.WorkDir, _emulator.State.MintToken(lifetime: TimeSpan.FromMinutes(5)));
        var result = session.Run("Get-AuthToken");
        Assert.Contains(result.Warnings, w => w.Message.Contains("expires in"));
        var wide = session.Run("Get-AuthToken -WarningWindow 00:01:00");
        Assert.Empty(wide.Warnings);
    }

    [Fact(SkipUnless = nameof(UnixModes.Available), SkipType = typeof(UnixModes), Skip = "Unix file modes; the Windows ACL check is covered by the Windows store tests")]
    public void Loose_permissions_produce_a_warning_that_names_the_fix()
    {
        using var session = new PsSession();
        var path = WriteTokenFile(session.WorkDir, _emulator.State.MintToken());
        UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var result = session.Run("Get-AuthToken");
        Assert.Single(result.Output);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains(path, warning.Message);
        Assert.Contains("chmod 600", warning.Message);
    }

    [Fact]
    public void Verify_checks_the_signature_against_the_emulators_keys()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        WriteTokenFile(session.WorkDir, jwt);
        var result = session.Run("Get-AuthToken -Verify -BaseUrl $args[0]", _emulator.BaseUrl);
        dynamic info = result.Single<object>();
        Assert.True((bool)info.SignatureVerified);
        result.AssertNoSecret(jwt);

        // Same claims, another signature: tampered.
        var parts = jwt.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length);
        WriteTokenFile(session.WorkDir, forged);
        var tampered = session.Run("Get-AuthToken -Verify -BaseUrl $args[0]", _emulator.BaseUrl);
        tampered.AssertError("InvalidSignature", ErrorCategory.SecurityError);
        tampered.AssertNoSecret(parts[1]);
    }

    [Fact]
    public void Verify_refuses_http_to_a_host_that_is_not_loopback()
    {
        using var session = new PsSession();
        WriteTokenFile(session.WorkDir, _emulator.State.MintToken());
        session.Run("Get-AuthToken -Verify -BaseUrl http://nara.example.com").AssertError("InsecureBaseUrl", ErrorCategory.SecurityError);
    }

    [Fact]
    public void Help_has_synopsis_parameters_and_examples()
    {
        using var session = new PsSession();
        var help = session.Run("Get-Help Get-AuthToken -Full").Output.Single();
        Assert.False(string.IsNullOrWhiteSpace(help.Properties["Synopsis"]?.Value?.ToString()));
        Assert.DoesNotContain("Get-AuthToken [", help.Properties["Synopsis"]!.Value!.ToString()!);
        var examples = session.Run("(Get-Help Get-AuthToken -Full).examples.example").Output;
        Assert.NotEmpty(examples);
        var parameters = session.Run("(Get-Help Get-AuthToken -Full).parameters.parameter | ForEach-Object { $_.name + '=' + ($_.description | ForEach-Object Text) }").Output
            .Select(o => o.ToString()).ToList();
        Assert.Contains(parameters, p => p.StartsWith("AsPlainText=") && p.Length > "AsPlainText=".Length + 10);
    }
}
