using System.Text;
using NaraAuth.Core.Config;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Worker;
using static NaraAuth.Core.Tests.Storage.UnixTestTools;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>The one secret-file reader: regular files only, bounded, every BOM Windows PowerShell writes, stable ids.</summary>
public class SecretFileReaderTests
{
    private const string TokenJson = "{\"token\": \"eyJ.a.b\", \"savedAt\": \"2025-01-15T10:30:00.000Z\"}";

    private static SecureFileStore Store() => new(new FakeEnvironment());

    /// <summary>The bytes Windows PowerShell 5.1 writes: Set-Content -Encoding UTF8 (BOM), Out-File (UTF-16 LE), -Encoding BigEndianUnicode, -Encoding UTF32.</summary>
    public static TheoryData<string> Encodings => new() { "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-32le" };

    private static byte[] Encode(string text, string encoding) => encoding switch
    {
        "utf-8" => new UTF8Encoding(false).GetBytes(text),
        "utf-8-bom" => new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(),
        "utf-16le" => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(),
        "utf-16be" => Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray(),
        "utf-32le" => Encoding.UTF32.GetPreamble().Concat(Encoding.UTF32.GetBytes(text)).ToArray(),
        _ => throw new ArgumentException(encoding),
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Token_file_in_any_Windows_PowerShell_encoding_is_read(string encoding)
    {
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        File.WriteAllBytes(path, Encode(TokenJson, encoding));
        var file = TokenFile.Read(Store(), path);
        Assert.Equal("eyJ.a.b", file.Token);
        Assert.NotNull(file.SavedAt);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Credentials_session_config_and_yaml_in_any_Windows_PowerShell_encoding_are_read(string encoding)
    {
        using var dir = new TempDir();
        var credentials = dir.Combine("credentials.json");
        File.WriteAllBytes(credentials, Encode("{\"deploymentId\": \"dep_1\", \"deploymentSecret\": \"s3cret\"}", encoding));
        Assert.Equal("dep_1", DeploymentCredentials.ReadFile(Store(), credentials).DeploymentId);

        var session = dir.Combine("session.json");
        File.WriteAllBytes(session, Encode("{\"token\": \"mcs_1\", \"base_url\": \"https://ep.example\"}", encoding));
        Assert.Equal("mcs_1", EdgePlaneSession.Read(Store(), session).Token);

        File.WriteAllBytes(dir.Combine("config.json"), Encode("{\"platformUrl\": \"https://nara.example\"}", encoding));
        Assert.Equal("https://nara.example", InstallationConfig.Load(dir.Path).PlatformUrl);

        var yaml = dir.Combine("deployment.yaml");
        File.WriteAllBytes(yaml, Encode("server:\n  port: 8000\nworker_auth_token: from-yaml\n", encoding));
        var env = new FakeEnvironment().Set(EnvironmentVariables.NodeToolConfigPath, yaml);
        Assert.Equal("from-yaml", new WorkerTokenStore(env, Store(), dir.Path).Resolve().Token);
    }

    [Fact]
    public void A_broken_UTF16_file_is_not_JSON_and_its_content_is_not_echoed()
    {
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        // A BOM, then an odd number of bytes: not UTF-16.
        File.WriteAllBytes(path, new byte[] { 0xFF, 0xFE, (byte)'{', 0, (byte)'s' });
        var error = Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), path));
        Assert.Equal("TokenFileNotJson", error.ErrorId);
    }

    [Fact]
    public void Not_JSON_gives_only_the_line_never_the_content()
    {
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        File.WriteAllText(path, "{\n  \"token\": super-secret-value\n}");
        var error = Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), path));
        Assert.Equal("TokenFileNotJson", error.ErrorId);
        Assert.Equal(NaraErrorCategory.InvalidData, error.Category);
        Assert.Contains("line 2", error.Message);
        Assert.DoesNotContain("super", error.ToString());
    }

    [Fact]
    public void Each_kind_keeps_its_error_ids()
    {
        using var dir = new TempDir();
        var missing = dir.Combine("missing.json");
        Assert.Equal("TokenFileNotFound", Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), missing)).ErrorId);
        Assert.Equal("EdgePlaneSessionNotFound", Assert.Throws<NaraAuthException>(() => EdgePlaneSession.Read(Store(), missing)).ErrorId);
        Assert.Equal("DeploymentCredentialsFileNotFound", Assert.Throws<NaraAuthException>(() => DeploymentCredentials.ReadFile(Store(), missing)).ErrorId);

        var noFields = dir.Combine("empty-object.json");
        File.WriteAllText(noFields, "{}");
        Assert.Equal("TokenFileMissingToken", Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), noFields)).ErrorId);
        Assert.Equal("EdgePlaneSessionMissingToken", Assert.Throws<NaraAuthException>(() => EdgePlaneSession.Read(Store(), noFields)).ErrorId);
        Assert.Equal("DeploymentCredentialsFileInvalid", Assert.Throws<NaraAuthException>(() => DeploymentCredentials.ReadFile(Store(), noFields)).ErrorId);

        var array = dir.Combine("array.json");
        File.WriteAllText(array, "[\"eyJ.a.b\"]");
        Assert.Equal("TokenFileMissingToken", Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), array)).ErrorId);

        File.WriteAllText(dir.Combine("config.json"), "{\"platformUrl\": 5}");
        Assert.Equal("ConfigFileNotJson", Assert.Throws<NaraAuthException>(() => InstallationConfig.Load(dir.Path)).ErrorId);
    }

    [Fact]
    public void A_file_larger_than_its_kind_allows_is_refused_unread()
    {
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        File.WriteAllText(path, "{\"token\": \"" + new string('a', 300 * 1024) + "\"}");
        var error = Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), path));
        Assert.Equal("TokenFileTooLarge", error.ErrorId);
        Assert.Equal(NaraErrorCategory.LimitsExceeded, error.Category);

        var credentials = dir.Combine("credentials.json");
        File.WriteAllBytes(credentials, new byte[65 * 1024]);
        Assert.Equal("DeploymentCredentialsFileTooLarge", Assert.Throws<NaraAuthException>(() => DeploymentCredentials.ReadFile(Store(), credentials)).ErrorId);
    }

    [Theory]
    [InlineData("/dev/zero", "character device")]
    [InlineData("/dev/null", "character device")]
    public void A_device_is_refused_at_once_without_reading_it(string device, string what)
    {
        RequireUnix();
        var error = Within(TimeSpan.FromSeconds(5), () => Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), device)));
        Assert.Equal("TokenFileNotAFile", error.ErrorId);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void A_fifo_is_refused_at_once_instead_of_blocking_every_kind_of_reader()
    {
        RequireUnix();
        using var dir = new TempDir();
        var fifo = dir.Combine("fifo");
        MakeFifo(fifo);
        // A reader that blocked would fail here (its thread is a background thread, so it cannot keep the test host alive).
        var limit = TimeSpan.FromSeconds(5);
        Assert.Equal("TokenFileNotAFile", Within(limit, () => Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), fifo))).ErrorId);
        Assert.Equal("EdgePlaneSessionNotAFile", Within(limit, () => Assert.Throws<NaraAuthException>(() => EdgePlaneSession.Read(Store(), fifo))).ErrorId);
        Assert.Equal("DeploymentCredentialsFileNotAFile", Within(limit, () => Assert.Throws<NaraAuthException>(() => DeploymentCredentials.ReadFile(Store(), fifo))).ErrorId);
        var env = new FakeEnvironment().Set(EnvironmentVariables.NodeToolConfigPath, fifo);
        Assert.Equal("WorkerConfigNotAFile", Within(limit, () => Assert.Throws<NaraAuthException>(() => new WorkerTokenStore(env, Store(), dir.Path).Resolve())).ErrorId);
        Assert.Contains("FIFO", Within(limit, () => Assert.Throws<IOException>(() => Store().ReadAllBytes(fifo))).Message);
    }

    [Fact]
    public void A_token_file_that_is_another_users_symbolic_link_is_refused_and_its_target_not_read()
    {
        RequireRoot();
        using var dir = new TempDir();
        var target = dir.Combine("real-token.json");
        File.WriteAllText(target, TokenJson);
        var link = dir.Combine("auth-token.json");
        File.CreateSymbolicLink(link, target);
        Assert.Equal("eyJ.a.b", TokenFile.Read(Store(), link).Token);

        ChownNoFollow(link, OtherUser);
        var error = Assert.Throws<NaraAuthException>(() => TokenFile.Read(Store(), link));
        Assert.Equal("TokenFileUnreadable", error.ErrorId);
        Assert.Contains("symbolic link owned by another user", error.Message);
        Assert.DoesNotContain("eyJ", error.ToString());
    }

    [Fact]
    public void A_saved_OIDC_session_that_is_a_FIFO_or_not_JSON_is_a_problem_and_a_new_login_replaces_it()
    {
        RequireUnix();
        using var dir = new TempDir();
        var fifo = dir.Combine("fifo.json");
        MakeFifo(fifo);
        var (session, problem) = Within(TimeSpan.FromSeconds(5), () => (OidcSession.TryRead(Store(), fifo, out var p), p));
        Assert.Null(session);
        Assert.Contains("FIFO", problem);

        var broken = dir.Combine("broken.json");
        File.WriteAllText(broken, "{\"id_token\": refresh-secret");
        Assert.Null(OidcSession.TryRead(Store(), broken, out problem));
        Assert.Contains("not valid JSON", problem);
        Assert.DoesNotContain("refresh-secret", problem);
    }

    [Fact]
    public void Loose_permissions_are_reported_by_the_reader_through_the_calls_reporter_for_every_kind_once_per_file()
    {
        RequireUnix();
        using var dir = new TempDir();
        var reporter = new RecordingReporter();
        var store = new SecureFileStore(new FakeEnvironment(), reporter);
        var loose = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead;
        string Loose(string name, string text)
        {
            var path = dir.Combine(name);
            File.WriteAllText(path, text);
            File.SetUnixFileMode(path, loose);
            return path;
        }
        var credentials = Loose("credentials.json", "{\"deploymentId\": \"dep_1\", \"deploymentSecret\": \"s3cret\"}");
        var token = Loose("auth-token.json", "{\"token\": \"eyJ.a.b\"}");
        var session = Loose("session.json", "{\"token\":\"mcs_1\",\"base_url\":\"https://ep.example.com\"}");
        // The MSAL token cache is read as opaque bytes: a loose one is reported as well.
        var cache = Loose("session.msal.bin", "{}");

        DeploymentCredentials.ReadFile(store, credentials);
        DeploymentCredentials.ReadFile(store, credentials);
        TokenFile.Read(store, token);
        EdgePlaneSession.Read(store, session);
        store.ReadAllBytes(cache);

        var warnings = reporter.Warnings.ToList();
        Assert.Equal(4, warnings.Count);
        foreach (var path in new[] { credentials, token, session, cache })
            Assert.Single(warnings, w => w.Contains($"'{path}'") && w.Contains("chmod 600"));
        Assert.DoesNotContain(warnings, w => w.Contains("s3cret") || w.Contains("mcs_1"));

        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var quiet = new RecordingReporter();
        TokenFile.Read(new SecureFileStore(new FakeEnvironment(), quiet), token);
        Assert.Empty(quiet.Warnings);
    }
}
