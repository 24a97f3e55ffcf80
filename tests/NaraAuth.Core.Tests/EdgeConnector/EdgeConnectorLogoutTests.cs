using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Logout;

namespace NaraAuth.Core.Tests.EdgeConnector;

/// <summary>Which files the logout picks (the docs/protocol.md 1.4 rules) and the guard against removing unrelated files.</summary>
public class EdgeConnectorLogoutTests
{
    private const string TokenJson = "{\"token\": \"eyJhbGciOiJSUzI1NiJ9.e30.sig\", \"savedAt\": \"2025-01-15T10:30:00.000Z\"}";

    private static CoreContext Context(NaraAuth.Core.Tests.FakeEnvironment env, string cwd, RecordingReporter? reporter = null) =>
        new(env, new NaraAuth.Core.Tests.FakeClock(DateTimeOffset.UtcNow), cwd, reporter);

    [Fact]
    public async Task Token_and_bundle_follow_AUTH_TOKEN_PATH_and_only_present_files_are_removed()
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
        Assert.Equal(LogoutStatus.Disconnected, await logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));
        Assert.True(logout.Files[0].Removed);
        Assert.False(logout.Files[1].Removed);
        Assert.False(File.Exists(dir.Combine("secure", "t.json")));
        Assert.True(File.Exists(dir.Combine("secure", "other.txt")));
    }

    [Fact]
    public async Task Unrecognized_files_are_refused_without_Force_and_nothing_is_removed()
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
        await forced.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken);
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

    [Fact]
    public async Task The_confirmation_names_each_present_file_and_its_kind_and_each_removal_is_said()
    {
        using var dir = new NaraAuth.Core.Tests.TempDir();
        File.WriteAllText(dir.Combine("auth-token.json"), TokenJson);
        File.WriteAllText(dir.Combine("default-bundle.json"), "{}");
        File.WriteAllText(dir.Combine("deployment.json"), "{\"deploymentId\": \"dep_abc123\", \"deploymentSecret\": \"sec_xyz789\"}");
        var reporter = new RecordingReporter();
        var context = Context(new NaraAuth.Core.Tests.FakeEnvironment(dir.Path).Set("EDGE_CONNECTOR_HOME", dir.Path), dir.Path, reporter);

        var logout = EdgeConnectorLogout.Plan(context, null, null, "deployment.json", force: false);

        Assert.Equal($"{dir.Combine("auth-token.json")}, {dir.Combine("default-bundle.json")}, {dir.Combine("deployment.json")}", logout.Target);
        Assert.Equal("Remove the token file and the default bundle and the deployment credentials file", logout.Action);
        Assert.Null(logout.Status);
        Assert.Equal(LogoutStatus.Disconnected, await logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));
        Assert.Equal(new[]
        {
            $"Removed the token file '{dir.Combine("auth-token.json")}'.",
            $"Removed the default bundle '{dir.Combine("default-bundle.json")}'.",
            $"Removed the deployment credentials file '{dir.Combine("deployment.json")}'.",
        }, reporter.Verbose);
        Assert.Equal(new[] { dir.Combine("auth-token.json"), dir.Combine("default-bundle.json"), dir.Combine("deployment.json") }, logout.Removed);
        Assert.Empty(Directory.GetFiles(dir.Path));
        Assert.DoesNotContain(reporter.Verbose, v => v.Contains("sec_xyz789", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Not_confirmed_is_WhatIf_and_removes_nothing()
    {
        using var dir = new NaraAuth.Core.Tests.TempDir();
        File.WriteAllText(dir.Combine("auth-token.json"), TokenJson);
        var reporter = new RecordingReporter();
        var context = Context(new NaraAuth.Core.Tests.FakeEnvironment(dir.Path).Set("EDGE_CONNECTOR_HOME", dir.Path), dir.Path, reporter);

        var logout = EdgeConnectorLogout.Plan(context, null, null, null, force: false);

        Assert.Equal("Remove the token file", logout.Action);
        Assert.Equal(LogoutStatus.WhatIf, await logout.ExecuteAsync(confirmed: false, TestContext.Current.CancellationToken));
        Assert.Equal(TokenJson, File.ReadAllText(dir.Combine("auth-token.json")));
        Assert.Empty(logout.Removed);
        Assert.Empty(reporter.Verbose);
    }

    [Fact]
    public async Task Nothing_present_asks_nothing_and_is_NotConnected_with_a_note_naming_where_the_token_was_looked_for()
    {
        using var dir = new NaraAuth.Core.Tests.TempDir();
        var reporter = new RecordingReporter();
        var env = new NaraAuth.Core.Tests.FakeEnvironment(dir.Path).Set("AUTH_TOKEN_PATH", dir.Combine("t.json"));

        var logout = EdgeConnectorLogout.Plan(Context(env, dir.Path, reporter), null, null, null, force: false);

        Assert.Null(logout.Action);
        // Whatever the answer would have been, there is nothing to remove.
        Assert.Equal(LogoutStatus.NotConnected, await logout.ExecuteAsync(confirmed: false, TestContext.Current.CancellationToken));
        var note = Assert.Single(reporter.Verbose);
        Assert.StartsWith("Not connected: there is no token file at '" + dir.Combine("t.json") + "' (chosen by ", note);
        Assert.EndsWith("and nothing else to remove.", note);
    }

    [Fact]
    public async Task A_file_removed_by_someone_else_after_the_plan_is_no_error_and_not_reported_as_removed()
    {
        using var dir = new NaraAuth.Core.Tests.TempDir();
        File.WriteAllText(dir.Combine("auth-token.json"), TokenJson);
        File.WriteAllText(dir.Combine("default-bundle.json"), "{}");
        var reporter = new RecordingReporter();
        var context = Context(new NaraAuth.Core.Tests.FakeEnvironment(dir.Path).Set("EDGE_CONNECTOR_HOME", dir.Path), dir.Path, reporter);
        var logout = EdgeConnectorLogout.Plan(context, null, null, null, force: false);
        File.Delete(dir.Combine("default-bundle.json"));

        Assert.Equal(LogoutStatus.Disconnected, await logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));

        Assert.Equal(new[] { dir.Combine("auth-token.json") }, logout.Removed);
        Assert.Single(reporter.Verbose);
    }

    [Fact]
    public async Task A_token_file_that_cannot_be_removed_is_a_clear_error_that_quotes_no_content_and_the_rest_stays()
    {
        using var dir = new NaraAuth.Core.Tests.TempDir();
        var token = dir.Combine("ec", "auth-token.json");
        Directory.CreateDirectory(dir.Combine("ec"));
        File.WriteAllText(token, TokenJson);
        File.WriteAllText(dir.Combine("ec", "default-bundle.json"), "{}");
        var context = Context(new NaraAuth.Core.Tests.FakeEnvironment(dir.Path).Set("EDGE_CONNECTOR_HOME", dir.Combine("ec")), dir.Path);
        var logout = EdgeConnectorLogout.Plan(context, null, null, null, force: false);

        NaraAuthException e;
        using (Undeletable(token, out var expected))
        {
            e = await Assert.ThrowsAsync<NaraAuthException>(() => logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));
            Assert.Equal(expected, e.Category);
        }

        Assert.Equal("LogoutFileNotRemoved", e.ErrorId);
        Assert.Contains($"The token file '{token}' could not be removed", e.Message);
        Assert.DoesNotContain("eyJhbGciOiJSUzI1NiJ9", e.Message);
        Assert.Contains("Disconnect-EdgeConnector again", e.RecommendedAction);
        // The logout stopped at the file it could not remove: the bundle is still there, nothing is reported removed.
        Assert.True(File.Exists(dir.Combine("ec", "default-bundle.json")));
        Assert.Empty(logout.Removed);
        Assert.Null(logout.Status);
    }

    /// <summary>
    /// Makes <paramref name="file"/> impossible to delete until disposed, as another program or
    /// account can: on Windows a handle that shares nothing (a write error), on Unix a folder
    /// without write access, or for root, who ignores that, the immutable flag (access refused).
    /// </summary>
    private static IDisposable Undeletable(string file, out NaraErrorCategory expected)
    {
        if (OperatingSystem.IsWindows())
        {
            expected = NaraErrorCategory.WriteError;
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None);
        }
        expected = NaraErrorCategory.PermissionDenied;
        if (Environment.IsPrivilegedProcess)
        {
            NaraAuth.Core.Tests.Storage.UnixTestTools.Run("chattr", "+i", file);
            return new Undo(() => NaraAuth.Core.Tests.Storage.UnixTestTools.Run("chattr", "-i", file));
        }
        var folder = Path.GetDirectoryName(file)!;
        var mode = File.GetUnixFileMode(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return new Undo(() => File.SetUnixFileMode(folder, mode));
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
