using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Emulator;

namespace NaraAuth.Core.Tests;

public class TokenLocationTests
{
    [Fact]
    public void Precedence_is_parameter_env_config_then_installation_directory()
    {
        using var dir = new TempDir();
        var env = new FakeEnvironment();
        var cwd = dir.Combine("cwd");
        Directory.CreateDirectory(cwd);

        // A config.json in the current folder makes it no installation: only what the invoker names is one.
        File.WriteAllText(Path.Combine(cwd, "config.json"), "{\"authTokenPath\": \"cwd-token.json\"}");
        var fromCwd = TokenLocation.Resolve(env, null, null, cwd);
        Assert.Equal(TokenPathSource.UserFolder, fromCwd.Source);
        Assert.DoesNotContain(cwd, fromCwd.Path);
        Assert.NotNull(fromCwd.UserFolderNote);

        var home = dir.Combine("home");
        Directory.CreateDirectory(home);
        env.Variables["EDGE_CONNECTOR_HOME"] = home;
        Assert.Equal(TokenPathSource.EdgeConnectorHome, TokenLocation.Resolve(env, null, null, cwd).Source);

        var install = dir.Combine("install");
        Directory.CreateDirectory(install);
        var fromInstall = TokenLocation.Resolve(env, null, install, cwd);
        Assert.Equal((Path.Combine(install, "auth-token.json"), TokenPathSource.InstallPath), (fromInstall.Path, fromInstall.Source));
        Assert.Equal(Path.Combine(install, "default-bundle.json"), fromInstall.BundlePath);

        File.WriteAllText(Path.Combine(install, "config.json"), "{\"authTokenPath\": \"secrets/token.json\", \"platformUrl\": \"https://p.example\"}");
        var fromConfig = TokenLocation.Resolve(env, null, install, cwd);
        Assert.Equal((Path.Combine(install, "secrets", "token.json"), TokenPathSource.ConfigFile), (fromConfig.Path, fromConfig.Source));
        Assert.Equal("https://p.example", fromConfig.Config.PlatformUrl);

        env.Variables["AUTH_TOKEN_PATH"] = "relative.json";
        var fromEnv = TokenLocation.Resolve(env, null, install, cwd);
        Assert.Equal((Path.Combine(cwd, "relative.json"), TokenPathSource.EnvironmentVariable), (fromEnv.Path, fromEnv.Source));

        var explicitPath = TokenLocation.Resolve(env, "/abs/t.json", install, cwd);
        Assert.Equal(("/abs/t.json", TokenPathSource.Parameter), (explicitPath.Path, explicitPath.Source));
    }

    [Fact]
    public void A_folder_that_is_no_installation_sends_the_token_to_the_per_user_folder()
    {
        using var dir = new TempDir();
        var env = new FakeEnvironment(dir.Combine("home")) { IsWindows = false };
        var checkout = dir.Combine("checkout");
        Directory.CreateDirectory(checkout);

        var location = TokenLocation.Resolve(env, null, null, checkout);

        var folder = Path.Combine(dir.Path, "home", ".config", "naraauth", "edge-connector");
        Assert.Equal((Path.Combine(folder, "auth-token.json"), TokenPathSource.UserFolder), (location.Path, location.Source));
        Assert.Equal(Path.Combine(folder, "default-bundle.json"), location.BundlePath);
        Assert.Contains(location.Path, location.UserFolderNote);
        Assert.Contains("-InstallPath", location.UserFolderNote);

        env.Variables["XDG_CONFIG_HOME"] = dir.Combine("xdg");
        env.ConfigDirectory = dir.Combine("xdg");
        Assert.Equal(Path.Combine(dir.Path, "xdg", "naraauth", "edge-connector", "auth-token.json"), TokenLocation.Resolve(env, null, null, checkout).Path);
    }

    [Fact]
    public void On_Windows_the_per_user_folder_is_under_LOCALAPPDATA_which_never_roams()
    {
        var env = new FakeEnvironment(@"C:\Users\ada") { IsWindows = true, ConfigDirectory = @"C:\Users\ada\AppData\Roaming" };
        env.Variables["LOCALAPPDATA"] = @"C:\Users\ada\AppData\Local";
        Assert.Equal(Path.Combine(@"C:\Users\ada\AppData\Local", "naraauth", "edge-connector"), UserFolder.EdgeConnector(env));
        env.Variables.Remove("LOCALAPPDATA");
        Assert.Equal(Path.Combine(@"C:\Users\ada\AppData\Roaming", "naraauth", "edge-connector"), UserFolder.EdgeConnector(env));
    }

    [Fact]
    public void A_token_saved_by_default_from_a_plain_folder_is_owner_only_in_owner_only_folders()
    {
        using var dir = new TempDir();
        var env = new FakeEnvironment(dir.Combine("home"));
        var checkout = dir.Combine("checkout");
        Directory.CreateDirectory(checkout);
        var context = new NaraAuth.Core.Abstractions.CoreContext(env, new FakeClock(DateTimeOffset.UtcNow), checkout);
        var location = TokenLocation.Resolve(env, null, null, checkout);

        new TokenFile("header.payload.signature", DateTimeOffset.UtcNow).Write(context.Store, location.Path);

        Assert.Empty(Directory.GetFileSystemEntries(checkout));
        Assert.True(File.Exists(location.Path));
        UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite, location.Path);
        var folder = Path.GetDirectoryName(location.Path)!;
        foreach (var level in new[] { folder, Path.GetDirectoryName(folder)! })
            UnixModes.AssertMode(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, level);
        Assert.Equal(location.Path, TokenLocation.Resolve(env, null, null, dir.Path).Path);
    }

    [Fact]
    public void Broken_config_json_is_a_specific_error()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("config.json"), "{ nope");
        var error = Assert.Throws<NaraAuthException>(() => TokenLocation.Resolve(new FakeEnvironment(), null, dir.Path, dir.Path));
        Assert.Equal("ConfigFileNotJson", error.ErrorId);
    }
}

public class JwtAndValidatorTests : IDisposable
{
    private readonly EmulatorState _state = new(new EmulatorOptions());

    public void Dispose() => _state.Dispose();

    [Fact]
    public void Parses_the_claims_the_protocol_uses()
    {
        var jwt = JwtInfo.Parse(_state.MintToken("user_7", "org_1", "member", TimeSpan.FromHours(1), "bo@example.com"));
        Assert.Equal(("user_7", "org_1", "Acme", "member", "bo@example.com"), (jwt.Subject, jwt.Organization, jwt.OrganizationName, jwt.Role, jwt.Email));
        Assert.Equal("RS256", jwt.Algorithm);
        Assert.NotNull(jwt.KeyId);
        Assert.InRange((jwt.ExpiresAt!.Value - DateTimeOffset.UtcNow).TotalMinutes, 59, 61);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.@@@.###")]
    public void Malformed_tokens_are_refused_without_quoting_them(string token)
    {
        var error = Assert.Throws<NaraAuthException>(() => JwtInfo.Parse(token));
        Assert.Equal("MalformedJwt", error.ErrorId);
        if (token.Length > 3) Assert.DoesNotContain(token, error.Message);
    }

    [Fact]
    public void Alg_none_and_empty_signatures_are_refused()
    {
        Assert.Equal("UnsignedJwt", Assert.Throws<NaraAuthException>(() => JwtInfo.Parse(_state.MintToken(alg: "none"))).ErrorId);
        var signed = _state.MintToken();
        var stripped = signed.Substring(0, signed.LastIndexOf('.') + 1);
        Assert.Equal("UnsignedJwt", Assert.Throws<NaraAuthException>(() => JwtInfo.Parse(stripped)).ErrorId);
    }

    [Fact]
    public void Expiry_and_not_before_allow_sixty_seconds_of_skew()
    {
        var now = DateTimeOffset.UtcNow;
        var validator = new TokenValidator(new FakeClock(now));
        var justExpired = _state.MintToken(lifetime: TimeSpan.FromSeconds(-30));
        Assert.NotNull(validator.ValidateOffline(justExpired, new TokenValidationOptions()));
        var longExpired = _state.MintToken(lifetime: TimeSpan.FromSeconds(-120));
        Assert.Equal("TokenExpired", Assert.Throws<NaraAuthException>(() => validator.ValidateOffline(longExpired, new TokenValidationOptions())).ErrorId);
        Assert.NotNull(validator.ValidateOffline(longExpired, new TokenValidationOptions { AllowExpired = true }));
        var future = _state.MintToken(notBefore: now.AddMinutes(5));
        Assert.Equal("TokenNotYetValid", Assert.Throws<NaraAuthException>(() => validator.ValidateOffline(future, new TokenValidationOptions())).ErrorId);
        var soon = _state.MintToken(notBefore: now.AddSeconds(30));
        Assert.NotNull(validator.ValidateOffline(soon, new TokenValidationOptions()));
    }

    [Fact]
    public void Organization_claim_is_required_and_must_match_when_named()
    {
        var validator = new TokenValidator();
        Assert.Equal("TokenMissingOrganization", Assert.Throws<NaraAuthException>(() => validator.ValidateOffline(_state.MintToken(org: null), new TokenValidationOptions())).ErrorId);
        Assert.Equal("OrganizationMismatch", Assert.Throws<NaraAuthException>(() =>
            validator.ValidateOffline(_state.MintToken(org: "org_1"), new TokenValidationOptions { RequiredOrganization = "org_2" })).ErrorId);
        Assert.Equal("TokenHasNoExpiry", Assert.Throws<NaraAuthException>(() =>
            validator.ValidateOffline(_state.MintToken(edit: p => p.Remove("exp")), new TokenValidationOptions())).ErrorId);
    }
}
