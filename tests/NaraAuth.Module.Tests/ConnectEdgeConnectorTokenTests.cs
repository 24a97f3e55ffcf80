using System.Management.Automation;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;
using static NaraAuth.Module.Tests.EdgeConnectorTestKit;

namespace NaraAuth.Module.Tests;

/// <summary>Connect-EdgeConnector -Token (raw JWT or token file) end to end against the emulator.</summary>
public class ConnectEdgeConnectorTokenTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public ConnectEdgeConnectorTokenTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.EdgeConnector.Reset();
    }

    private string Url => _emulator.BaseUrl;

    [Fact]
    public void Raw_jwt_is_validated_saved_owner_only_and_the_bundle_is_synced_beside_it()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(subject: "user_7", org: "org_1", role: "member", lifetime: TimeSpan.FromHours(4));
        var target = Path.Combine(session.TempDir, "ec", "secure", "auth-token.json");

        var result = session.Run("Connect-EdgeConnector -Token $args[0] -TokenPath $args[1] -BaseUrl $args[2]", jwt, target, Url);
        dynamic c = result.Single<object>();
        Assert.Equal("NaraAuth.Models.EdgeConnectorConnection", ((object)c).GetType().FullName);
        Assert.Equal("Token", (string)c.Mode.ToString());
        Assert.Equal("Connected", (string)c.Status.ToString());
        Assert.Equal("org_1", (string)c.Organization);
        Assert.Equal("Acme", (string)c.OrganizationName);
        Assert.Equal("user_7", (string)c.Subject);
        Assert.True((bool)c.SignatureVerified);
        Assert.InRange((((DateTimeOffset)c.ExpiresOn) - DateTimeOffset.UtcNow).TotalHours, 3.9, 4.01);
        Assert.Equal(target, (string)c.TokenPath);

        AssertPrivate(target);
        Assert.Equal(jwt, TokenIn(target));
        var bundle = Path.Combine(Path.GetDirectoryName(target)!, "default-bundle.json");
        Assert.Equal(bundle, (string)c.BundlePath);
        AssertPrivate(bundle);
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(bundle)))
        {
            Assert.Equal("bundle_default", doc.RootElement.GetProperty("id").GetString());
            Assert.Equal("org_1", doc.RootElement.GetProperty("organization").GetString());
        }
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Token_file_path_is_read_and_the_token_is_saved_to_the_default_location()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var source = WriteTokenFile(Path.Combine(session.TempDir, "handover", "token.json"), jwt);
        session.SetEnv("NARA_BASE_URL", Url);

        var result = session.Run("Connect-EdgeConnector -Token $args[0]", source);
        dynamic c = result.Single<object>();
        var saved = Path.Combine(session.WorkDir, "auth-token.json");
        Assert.Equal(saved, (string)c.TokenPath);
        Assert.Equal(jwt, TokenIn(saved));
        AssertPrivate(saved);
        Assert.True(File.Exists(Path.Combine(session.WorkDir, "default-bundle.json")));
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Token_comes_from_the_pipeline_by_value_and_by_property_name()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var target = Path.Combine(session.TempDir, "p", "auth-token.json");
        var result = session.Run("$args[0] | Connect-EdgeConnector -TokenPath $args[1] -BaseUrl $args[2] -SkipBundleSync", jwt, target, Url);
        Assert.Equal("Connected", ((dynamic)result.Single<object>()).Status.ToString());
        Assert.Equal(jwt, TokenIn(target));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(target)!, "default-bundle.json")), "-SkipBundleSync still synced the bundle.");
        result.AssertNoSecret(jwt);

        var file = WriteTokenFile(Path.Combine(session.TempDir, "h", "t.json"), _emulator.State.MintToken(subject: "user_9"));
        var byName = session.Run("[pscustomobject]@{ FullName = $args[0] } | Connect-EdgeConnector -TokenPath $args[1] -BaseUrl $args[2] -Force", file, target, Url);
        Assert.Equal("user_9", ((dynamic)byName.Single<object>()).Subject);
        byName.AssertNoSecret(TokenIn(target));
    }

    [Fact]
    public void Rerunning_against_a_valid_token_changes_nothing_and_says_so()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        const string command = "Connect-EdgeConnector -Token $args[0] -TokenPath $args[1] -BaseUrl $args[2]";
        session.Run(command, jwt, target, Url).Single<object>();
        var before = File.ReadAllBytes(target);
        var bundleBefore = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(target)!, "default-bundle.json"));
        var writeTime = File.GetLastWriteTimeUtc(target);
        _emulator.State.Faults.Clear(); // resets the request counts

        var again = session.Run(command, jwt, target, Url);
        dynamic c = again.Single<object>();
        Assert.Equal("AlreadyConnected", (string)c.Status.ToString());
        Assert.Contains("nothing was changed", again.HostText);
        Assert.Equal(before, File.ReadAllBytes(target));
        Assert.Equal(writeTime, File.GetLastWriteTimeUtc(target));
        Assert.Equal(bundleBefore, File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(target)!, "default-bundle.json")));
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/auth/desktop/start"));
        Assert.Equal(0, _emulator.State.Faults.CountOf("GET", "/api/edge-connector/bundles/default"));
        again.AssertNoSecret(jwt);

        // -Force replaces it anyway.
        var forced = session.Run(command + " -Force", jwt, target, Url);
        Assert.Equal("Connected", ((dynamic)forced.Single<object>()).Status.ToString());
        forced.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_stored_token_closer_to_expiry_than_MinimumValidity_is_replaced()
    {
        using var session = new PsSession();
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        WriteTokenFile(target, _emulator.State.MintToken(lifetime: TimeSpan.FromMinutes(30)));
        var fresh = _emulator.State.MintToken(subject: "user_new");
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -TokenPath $args[1] -BaseUrl $args[2] -SkipBundleSync", fresh, target, Url);
        Assert.Equal("Connected", ((dynamic)result.Single<object>()).Status.ToString());
        Assert.Equal(fresh, TokenIn(target));
        result.AssertNoSecret(fresh);

        // With a lower bar the same situation is already fine.
        WriteTokenFile(target, _emulator.State.MintToken(lifetime: TimeSpan.FromMinutes(30)));
        var relaxed = session.Run("Connect-EdgeConnector -Token $args[0] -TokenPath $args[1] -BaseUrl $args[2] -MinimumValidity 00:10:00", fresh, target, Url);
        Assert.Equal("AlreadyConnected", ((dynamic)relaxed.Single<object>()).Status.ToString());
        relaxed.AssertNoSecret(fresh);
        relaxed.AssertNoSecret(TokenIn(target));
    }

    [Fact]
    public void WhatIf_says_what_would_be_written_where_and_writes_nothing()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -TokenPath $args[1] -BaseUrl $args[2] -WhatIf", jwt, target, Url);
        Assert.Empty(result.Output);
        Assert.Null(result.Error);
        Assert.Contains("What if", result.HostText);
        Assert.Contains(target, result.HostText);
        Assert.Contains("default-bundle.json", result.HostText);
        Assert.False(Directory.Exists(Path.GetDirectoryName(target)), "-WhatIf created the folder.");
        result.AssertNoSecret(jwt);
    }

    [Fact]
    public void Bundle_failure_keeps_the_saved_token_and_reports_its_own_error()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken();
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/edge-connector/bundles/default", Status = 404, Count = 5, Body = "{\"detail\": \"no bundle configured\"}" });
        var result = session.Run("Connect-EdgeConnector -Token $args[0] -TokenPath $args[1] -BaseUrl $args[2]", jwt, target, Url);
        var error = result.AssertError("BundleSyncFailed", ErrorCategory.ObjectNotFound);
        Assert.Contains("no bundle configured", error.Exception.Message);
        dynamic c = Assert.Single(result.Output).BaseObject;
        Assert.Null((string?)c.BundlePath);
        Assert.Equal(jwt, TokenIn(target));
        result.AssertNoSecret(jwt);
    }

    public static TheoryData<string> BadInputs => new()
    {
        "wrong-organization", "organization-not-enabled", "organization-unknown", "expired", "unsigned", "tampered",
        "not-json-file", "unreachable", "insecure-url", "malformed",
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Every_bad_input_has_its_own_error_and_leaves_the_old_token_untouched(string kind)
    {
        using var session = new PsSession();
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        var old = _emulator.State.MintToken(subject: "old_user");
        WriteTokenFile(target, old);
        var oldBytes = File.ReadAllBytes(target);

        var good = _emulator.State.MintToken(subject: "new_user");
        var parts = good.Split('.');
        var (token, extra, baseUrl, id, category, secret) = kind switch
        {
            "wrong-organization" => (good, "-Organization org_2", Url, "OrganizationMismatch", ErrorCategory.InvalidArgument, good),
            "organization-not-enabled" => (_emulator.State.MintToken(org: "org_2"), "", Url, "OrganizationNotEnabled", ErrorCategory.PermissionDenied, (string?)null),
            "organization-unknown" => (_emulator.State.MintToken(org: "org_77"), "", Url, "OrganizationNotFound", ErrorCategory.PermissionDenied, null),
            "expired" => (_emulator.State.MintToken(lifetime: TimeSpan.FromMinutes(-5)), "", Url, "TokenExpired", ErrorCategory.AuthenticationError, null),
            "unsigned" => (_emulator.State.MintToken(alg: "none"), "", Url, "UnsignedJwt", ErrorCategory.SecurityError, null),
            "tampered" => (parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length), "", Url, "InvalidSignature", ErrorCategory.SecurityError, parts[1]),
            "not-json-file" => ("FILE", "", Url, "TokenFileNotJson", ErrorCategory.InvalidData, "secret-ish-content"),
            "unreachable" => (good, "", "http://127.0.0.1:9", "PlatformUnreachable", ErrorCategory.ConnectionError, good),
            "insecure-url" => (good, "", "http://nara.example.com", "InsecureBaseUrl", ErrorCategory.SecurityError, good),
            "malformed" => ("abc.def", "", Url, "MalformedJwt", ErrorCategory.InvalidData, "abc.def"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        if (token == "FILE")
        {
            token = Path.Combine(session.TempDir, "broken.json");
            File.WriteAllText(token, "eyJ secret-ish-content, not JSON");
        }

        // -Force: the old token is valid, so without it a good input would be "already connected".
        var result = session.Run($"Connect-EdgeConnector -Token $args[0] -TokenPath $args[1] -BaseUrl $args[2] -Force {extra}", token, target, baseUrl);
        result.AssertError(id, category);
        Assert.Empty(result.Output);
        Assert.Equal(oldBytes, File.ReadAllBytes(target));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(target)!, "*.tmp"));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(target)!, "default-bundle.json")));
        result.AssertNoSecret(secret ?? token.TrimEnd('.'));
        result.AssertNoSecret(old);
    }

    [Fact]
    public void Help_is_complete()
    {
        using var session = new PsSession();
        var syntax = session.Run("(Get-Command Connect-EdgeConnector).ParameterSets | ForEach-Object { $_.Name + ':' + $_.IsDefault }").Output.Select(o => o.ToString()).ToList();
        Assert.Contains("Browser:True", syntax);
        Assert.Contains("Token:False", syntax);
        Assert.Contains("Deployment:False", syntax);
        var secretType = session.Run("(Get-Command Connect-EdgeConnector).Parameters['DeploymentSecret'].ParameterType.FullName").Output.Single().ToString();
        Assert.Equal("System.Security.SecureString", secretType);
    }
    [Fact]
    public void A_SecureString_token_from_a_vault_or_Get_AuthToken_connects_like_the_text()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(subject: "user_secure");
        var first = Path.Combine(session.TempDir, "first", "auth-token.json");
        var second = Path.Combine(session.TempDir, "second", "auth-token.json");
        session.SetEnv("NARA_BASE_URL", Url);

        // As Get-Secret hands it over: a SecureString, here made from the text.
        var fromVault = session.Run("$s = [securestring]::new(); foreach ($c in $args[0].ToCharArray()) { $s.AppendChar($c) }; " +
            "Connect-EdgeConnector -Token $s -TokenPath $args[1] | ForEach-Object Status", jwt, first);
        Assert.Equal("Connected", fromVault.Single<object>().ToString());
        Assert.Equal(jwt, TokenIn(first));

        // One cmdlet's token handed to the next, through the pipeline.
        var piped = session.Run("(Get-AuthToken -Path $args[0]).Token | Connect-EdgeConnector -TokenPath $args[1] | ForEach-Object Status", first, second);
        Assert.Equal("Connected", piped.Single<object>().ToString());
        Assert.Equal(jwt, TokenIn(second));
        fromVault.AssertNoSecret(jwt);
        piped.AssertNoSecret(jwt);
    }

    [Fact]
    public void A_token_file_piped_as_a_FileInfo_is_read_by_its_full_path()
    {
        using var session = new PsSession();
        var jwt = _emulator.State.MintToken(subject: "user_file");
        var source = WriteTokenFile(Path.Combine(session.WorkDir, "handover.json"), jwt);
        var target = Path.Combine(session.TempDir, "ec", "auth-token.json");
        session.SetEnv("NARA_BASE_URL", Url);

        var result = session.Run("[System.IO.FileInfo]::new($args[0]) | Connect-EdgeConnector -TokenPath $args[1] | ForEach-Object Status", source, target);
        Assert.Equal("Connected", result.Single<object>().ToString());
        Assert.Equal(jwt, TokenIn(target));
        result.AssertNoSecret(jwt);
    }
}
