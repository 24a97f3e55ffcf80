using System.Management.Automation;
using System.Security;
using System.Text;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>New-ApiKey and Test-ApiKey -Hash through the PowerShell engine (docs/protocol.md 4).</summary>
public class ApiKeyTests
{
    // Python's hashlib.scrypt (OpenSSL), key below, salt bytes 16..31, ln=16, r=8, p=1: an
    // independently computed hash in the protocol's format, at the production cost.
    private const string IndependentKey = "rfc-independent-key-0123456789abcdefghijklmn=";
    private const string IndependentHash = "JHNjcnlwdCRsbj0xNixyPTgscD0xJEVCRVNFeFFWRmhjWUdSb2JIQjBlSHckWDRhZ2V4d1grcXdnc25uV1FDS1lHNlFXdktHQk1HSUNXMnU3clI3ZnUrYw==";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void New_ApiKey_then_Test_ApiKey_round_trip()
    {
        using var session = new PsSession();
        var created = session.Run("$script:k = New-ApiKey; $script:k");
        dynamic key = created.Single<object>();
        Assert.IsType<SecureString>((object)key.ApiKey);
        Assert.Equal("scrypt", (string)key.Algorithm);
        Assert.Equal("ln=16,r=8,p=1", key.Parameters.ToString());
        Assert.Null((string?)key.ConfigSnippet);
        var phc = Encoding.UTF8.GetString(Convert.FromBase64String((string)key.Hash));
        Assert.StartsWith("$scrypt$ln=16,r=8,p=1$", phc);

        var plain = session.Run("[System.Net.NetworkCredential]::new('', $script:k.ApiKey).Password").Output.Single().ToString();
        Assert.Equal(32, Convert.FromBase64String(plain).Length);

        var tested = session.Run("Test-ApiKey -ApiKey $script:k.ApiKey -Hash $script:k.Hash");
        dynamic result = tested.Single<object>();
        Assert.True((bool)result.IsValid);
        Assert.Equal("Match", (string)result.Status.ToString());
        Assert.Equal("scrypt", (string)result.Algorithm);
        Assert.Equal(16, (int)result.Parameters.Log2N);
        tested.AssertNoSecret(plain);

        // Piped by property name, and as a plain string with -Quiet.
        Assert.True((bool)session.Run("$script:k | Test-ApiKey -Quiet").Single<bool>());
        Assert.True(session.Run("Test-ApiKey $args[0] $script:k.Hash -Quiet", plain).Single<bool>());
        Assert.False(session.Run("Test-ApiKey ($args[0] + 'x') $script:k.Hash -Quiet", plain).Single<bool>());
        created.AssertNoSecret(plain);
    }

    [Fact]
    public void AsPlainText_returns_the_key_as_a_string_masked_in_GitHub_Actions()
    {
        using var session = new PsSession();
        session.SetEnv("GITHUB_ACTIONS", "true");
        var result = session.Run("New-ApiKey -AsPlainText");
        dynamic key = result.Single<object>();
        var plain = Assert.IsType<string>((object)key.ApiKey);
        Assert.Contains("::add-mask::" + plain, result.HostText);
        Assert.True(session.Run("Test-ApiKey $args[0] $args[1] -Quiet", plain, (string)key.Hash).Single<bool>());
    }

    [Fact]
    public void Id_adds_a_ready_to_paste_identity_snippet()
    {
        using var session = new PsSession();
        var result = session.Run("New-ApiKey -Id ci-pipeline -PermissionSet deployers");
        dynamic key = result.Single<object>();
        var snippet = (string)key.ConfigSnippet;
        Assert.Contains("auth:\n  identities:\n    ci-pipeline:\n      credential:\n        api_key: \"" + (string)key.Hash + "\"\n      permissions: [deployers]\n", snippet);
        Assert.Equal("ci-pipeline", (string)key.Id);
        Assert.IsType<SecureString>((object)key.ApiKey);
        result.AssertNoSecret(new System.Net.NetworkCredential("", (SecureString)key.ApiKey).Password);

        var bad = session.Run("New-ApiKey -Id 'bad id: x'");
        bad.AssertError("ParameterArgumentValidationError", ErrorCategory.InvalidData);
    }

    [Fact]
    public void Hash_from_an_independent_scrypt_implementation_verifies()
    {
        using var session = new PsSession();
        var result = session.Run("Test-ApiKey -ApiKey $args[0] -Hash $args[1]", IndependentKey, IndependentHash);
        dynamic verdict = result.Single<object>();
        Assert.True((bool)verdict.IsValid, (string)verdict.Reason);
        // The Edge Server CLI prints a trailing '$' after the base64 text; it is tolerated.
        Assert.True(session.Run("Test-ApiKey $args[0] ($args[1] + '$') -Quiet", IndependentKey, IndependentHash).Single<bool>());
        result.AssertNoSecret(IndependentKey);
    }

    [Fact]
    public void Key_with_a_trailing_newline_is_reported_and_the_trimmed_key_matches()
    {
        using var session = new PsSession();
        var result = session.Run("Test-ApiKey -ApiKey ($args[0] + \"`n\") -Hash $args[1]", IndependentKey, IndependentHash);
        dynamic verdict = result.Single<object>();
        Assert.False((bool)verdict.IsValid);
        Assert.Equal("KeyWhitespace", (string)verdict.Status.ToString());
        Assert.True((bool)verdict.TrimmedWouldMatch);
        Assert.Contains("trailing newline", (string)verdict.Reason);
        Assert.Contains("would match", (string)verdict.Reason);
        result.AssertNoSecret(IndependentKey);
        Assert.False(session.Run("Test-ApiKey -ApiKey ($args[0] + \"`n\") -Hash $args[1] -Quiet", IndependentKey, IndependentHash).Single<bool>());
    }

    [Fact]
    public void Every_failure_kind_has_its_own_status_and_reason()
    {
        using var session = new PsSession();
        const string salt = "EBESExQVFhcYGRobHB0eHw";
        const string value = "X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c";
        var cases = new (string Key, string Hash, string Status, string ReasonPart)[]
        {
            (IndependentKey, IndependentHash, "Match", "matches"),
            ("wrong-key", IndependentHash, "NoMatch", "does not match"),
            (" " + IndependentKey, IndependentHash, "KeyWhitespace", "leading whitespace"),
            (IndependentKey, IndependentHash + "\n", "HashWhitespace", "would match"),
            (IndependentKey + "\r\n", " " + IndependentHash, "KeyAndHashWhitespace", "key and hash would match"),
            ("", IndependentHash, "EmptyKey", "No API key"),
            (IndependentKey, "", "EmptyHash", "No hash"),
            (IndependentKey, "***not-base64***", "NotBase64", "not standard base64"),
            (IndependentKey, B64("hello world"), "NotPhcString", "not a PHC string"),
            (IndependentKey, B64($"$argon2id$v=19$m=65536,t=3,p=4${salt}${value}"), "UnknownAlgorithm", "argon2id"),
            (IndependentKey, B64($"$scrypt$ln=16,r=eight,p=1${salt}${value}"), "MalformedParameters", "r='eight'"),
            (IndependentKey, B64($"$scrypt$ln=16,r=8,p=1$c2FsdA${value}"), "MalformedSalt", "at least 16"),
            (IndependentKey, B64($"$scrypt$ln=16,r=8,p=1${salt}$aGFzaA"), "MalformedHash", "32 bytes"),
            (IndependentKey, B64($"$scrypt$ln=40,r=8,p=1${salt}${value}"), "ParametersTooLarge", "2^40"),
        };
        var reasons = new HashSet<string>();
        foreach (var (key, hash, status, reasonPart) in cases)
        {
            var result = session.Run("Test-ApiKey -ApiKey $args[0] -Hash $args[1]", key, hash);
            dynamic verdict = result.Single<object>();
            Assert.True(status == (string)verdict.Status.ToString(), $"{status} expected, got {(string)verdict.Status.ToString()}: {(string)verdict.Reason}");
            Assert.Contains(reasonPart, (string)verdict.Reason);
            Assert.Equal(status == "Match", (bool)verdict.IsValid);
            Assert.True(reasons.Add((string)verdict.Reason), "Reason repeated: " + (string)verdict.Reason);
            result.AssertNoSecret(IndependentKey);
        }
    }

    [Fact]
    public void Oversized_parameters_are_refused_quickly_without_allocating()
    {
        using var session = new PsSession();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = session.Run("Test-ApiKey -ApiKey secret-key-for-a-huge-hash -Hash $args[0]", B64("$scrypt$ln=20,r=8,p=1$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"));
        dynamic verdict = result.Single<object>();
        Assert.Equal("ParametersTooLarge", (string)verdict.Status.ToString());
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 512L * 1024 * 1024, "scrypt's 1 GiB must not be allocated");
        result.AssertNoSecret("secret-key-for-a-huge-hash");
    }

    [Fact]
    public void SecureString_key_is_accepted()
    {
        using var session = new PsSession();
        var secure = new SecureString();
        foreach (var c in IndependentKey) secure.AppendChar(c);
        var result = session.Run("Test-ApiKey -ApiKey $args[0] -Hash $args[1] -Quiet", secure, IndependentHash);
        Assert.True(result.Single<bool>());
        result.AssertNoSecret(IndependentKey);
    }

    [Fact]
    public void ApiKeys_and_BouncyCastle_load_from_the_modules_own_load_context()
    {
        using var session = new PsSession();
        var result = session.Run("New-ApiKey");
        Assert.Single(result.Output);
        var apiKeys = Assert.Single(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "NaraAuth.ApiKeys");
        Assert.Equal("NaraAuth", System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(apiKeys)!.Name);
        var dependencies = Path.GetDirectoryName(apiKeys.Location)!;
        Assert.EndsWith(Path.Combine("out", "NaraAuth", "Dependencies"), dependencies);
        // The in-process emulator has its own BouncyCastle in the default context; the module's
        // copy must be the one from Dependencies, in the module's context, side by side with it.
        var bouncy = Assert.Single(AppDomain.CurrentDomain.GetAssemblies(),
            a => a.GetName().Name == "BouncyCastle.Cryptography" && Path.GetDirectoryName(a.Location) == dependencies);
        Assert.Equal("NaraAuth", System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(bouncy)!.Name);
    }
}
