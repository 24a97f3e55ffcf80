using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Tests.EdgeConnector;

/// <summary>Which files the logout picks (the docs/protocol.md 1.4 rules) and the guard against removing unrelated files.</summary>
public class EdgeConnectorLogoutTests
{
    private const string TokenJson = "{\"token\": \"eyJhbGciOiJSUzI1NiJ9.e30.sig\", \"savedAt\": \"2025-01-15T10:30:00.000Z\"}";

    private static CoreContext Context(NaraAuth.Core.Tests.FakeEnvironment env, string cwd) =>
        new(env, new NaraAuth.Core.Tests.FakeClock(DateTimeOffset.UtcNow), cwd);

    [Fact]
    public void Token_and_bundle_follow_AUTH_TOKEN_PATH_and_only_present_files_are_removed()
    {
        using var dir = new NaraAuth.Core.Tests.TempDir();
        Directory.CreateDirectory(dir.Combine("secure"));
        File.WriteAllText(dir.Combine("secure", "t.json"), TokenJson);
        File.WriteAllText(dir.Combine("secure", "other.txt"), "keep");
        var env = new NaraAuth.Core.Tests.FakeEnvironment(dir.Path).Set("AUTH_TOKEN_PATH", dir.Combine("secure", "t.json"));

        var logout = EdgeConnectorLogout.Plan(Context(env, dir.Path), null, null, null, force: false);
        Assert.Equal(dir.Combine("secure", "t.json"), logout.Files[0].Path);
        Assert.Equal(dir.Combine("secure", "default-bundle.json"), logout.Files[1].Path);
        Assert.Single(logout.Present);
        logout.RemoveAll();
        Assert.True(logout.Files[0].Removed);
        Assert.False(logout.Files[1].Removed);
        Assert.False(File.Exists(dir.Combine("secure", "t.json")));
        Assert.True(File.Exists(dir.Combine("secure", "other.txt")));
    }

    [Fact]
    public void Unrecognized_files_are_refused_without_Force_and_nothing_is_removed()
    {
        using var dir = new NaraAuth.Core.Tests.TempDir();
        File.WriteAllText(dir.Combine("config.json"), "{}");
        File.WriteAllText(dir.Combine("auth-token.json"), TokenJson);
        File.WriteAllText(dir.Combine("creds.json"), "{\"something\": \"else\"}");
        // The installation is named (the current folder alone never is one).
        var context = Context(new NaraAuth.Core.Tests.FakeEnvironment(dir.Path).Set("EDGE_CONNECTOR_HOME", dir.Path), dir.Path);

        var e = Assert.Throws<NaraAuthException>(() => EdgeConnectorLogout.Plan(context, null, null, "creds.json", force: false));
        Assert.Equal("LogoutFileUnrecognized", e.ErrorId);
        Assert.Equal(NaraErrorCategory.InvalidData, e.Category);
        Assert.True(File.Exists(dir.Combine("auth-token.json")));

        var forced = EdgeConnectorLogout.Plan(context, null, null, "creds.json", force: true);
        forced.RemoveAll();
        Assert.False(File.Exists(dir.Combine("creds.json")));
        Assert.False(File.Exists(dir.Combine("auth-token.json")));
    }

    [Fact]
    public void A_folder_given_as_the_token_path_is_refused()
    {
        using var dir = new NaraAuth.Core.Tests.TempDir();
        var context = Context(new NaraAuth.Core.Tests.FakeEnvironment(dir.Path), dir.Path);
        var e = Assert.Throws<NaraAuthException>(() => EdgeConnectorLogout.Plan(context, dir.Path, null, null, force: true));
        Assert.Equal("LogoutFileUnrecognized", e.ErrorId);
    }
}
