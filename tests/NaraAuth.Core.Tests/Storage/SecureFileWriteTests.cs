using System.Diagnostics;
using System.Text;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using static NaraAuth.Core.Tests.Storage.UnixTestTools;

namespace NaraAuth.Core.Tests.Storage;

/// <summary>What a write replaces, what it cleans up, and that it stays atomic under kill and concurrency.</summary>
public class SecureFileWriteTests
{
    private static SecureFileStore Store(TempDir dir) => new(new FakeEnvironment { HomeDirectory = dir.Combine("home") });

    private static string Temp(string folder, string name, string hex) => Path.Combine(folder, "." + name + "." + hex + ".tmp");

    [Fact]
    public void An_unrelated_file_at_the_token_path_is_kept_unless_forced()
    {
        using var dir = new TempDir();
        var notes = dir.Combine("notes.txt");
        File.WriteAllText(notes, "my notes");
        var token = new TokenFile("eyJ.new.token", DateTimeOffset.UtcNow);

        var error = Assert.Throws<NaraAuthException>(() => token.Write(Store(dir), notes));
        Assert.Equal("SecureStoreTargetUnrecognized", error.ErrorId);
        Assert.Equal(NaraErrorCategory.ResourceExists, error.Category);
        Assert.Contains("-Force", error.RecommendedAction);
        Assert.Equal("my notes", File.ReadAllText(notes));
        Assert.Equal(new[] { "notes.txt" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));

        token.Write(Store(dir), notes, force: true);
        Assert.Equal("eyJ.new.token", TokenFile.Read(Store(dir), notes).Token);
    }

    [Fact]
    public void An_older_token_file_and_an_empty_file_are_replaced_without_force()
    {
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        new TokenFile("eyJ.old.token", DateTimeOffset.UtcNow).Write(Store(dir), path);
        new TokenFile("eyJ.new.token", DateTimeOffset.UtcNow).Write(Store(dir), path);
        Assert.Equal("eyJ.new.token", TokenFile.Read(Store(dir), path).Token);

        var empty = dir.Combine("empty.json");
        File.WriteAllText(empty, "");
        new TokenFile("eyJ.new.token", DateTimeOffset.UtcNow).Write(Store(dir), empty);
        Assert.Equal("eyJ.new.token", TokenFile.Read(Store(dir), empty).Token);
    }

    [Fact]
    public void A_credentials_file_is_not_written_over_a_token_file_unless_forced()
    {
        using var dir = new TempDir();
        var path = dir.Combine("victim.conf");
        File.WriteAllText(path, "[section]\nkey = value\n");
        var credentials = new DeploymentCredentials("dep_1", "s3cret", DeploymentCredentialSource.Parameters);
        Assert.Equal("SecureStoreTargetUnrecognized", Assert.Throws<NaraAuthException>(() => credentials.Save(Store(dir), path)).ErrorId);
        Assert.Equal("[section]\nkey = value\n", File.ReadAllText(path));
        credentials.Save(Store(dir), path, force: true);
        Assert.Equal("dep_1", DeploymentCredentials.ReadFile(Store(dir), path).DeploymentId);
    }

    [Fact]
    public void Temporary_files_a_killed_writer_left_are_removed_by_the_next_write_and_nothing_else_is()
    {
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        var stale = Temp(dir.Path, "auth-token.json", "0123456789ab");
        var fresh = Temp(dir.Path, "auth-token.json", "ba9876543210");
        var otherPattern = dir.Combine(".auth-token.json.backup.tmp");
        var otherTarget = Temp(dir.Path, "notes.json", "0123456789ab");
        foreach (var f in new[] { stale, fresh, otherPattern, otherTarget }) File.WriteAllText(f, "{\"token\":\"left-behind\"}");
        var longAgo = DateTime.UtcNow.AddMinutes(-1);
        foreach (var f in new[] { stale, otherPattern, otherTarget }) File.SetLastWriteTimeUtc(f, longAgo);

        new TokenFile("eyJ.a.b", DateTimeOffset.UtcNow).Write(Store(dir), path);

        Assert.False(File.Exists(stale));
        // A younger one may belong to a writer about to rename it; other names are not ours to judge.
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(otherPattern));
        Assert.True(File.Exists(otherTarget));
    }

    [Fact]
    public void A_temporary_file_of_another_user_is_left_alone()
    {
        RequireRoot();
        using var dir = new TempDir();
        var theirs = Temp(dir.Path, "auth-token.json", "0123456789ab");
        File.WriteAllText(theirs, "x");
        File.SetLastWriteTimeUtc(theirs, DateTime.UtcNow.AddMinutes(-1));
        ChownNoFollow(theirs, OtherUser);
        new TokenFile("eyJ.a.b", DateTimeOffset.UtcNow).Write(Store(dir), dir.Combine("auth-token.json"));
        Assert.True(File.Exists(theirs));
    }

    [Fact]
    public void A_250_character_file_name_is_written_and_its_temporary_names_stay_within_255_bytes()
    {
        using var dir = new TempDir();
        var name = new string('t', 245) + ".json";
        var path = dir.Combine(name);
        new TokenFile("eyJ.a.b", DateTimeOffset.UtcNow).Write(Store(dir), path);
        Assert.Equal("eyJ.a.b", TokenFile.Read(Store(dir), path).Token);

        var prefix = SecureFileStore.TemporaryPrefix(name);
        Assert.True(Encoding.UTF8.GetByteCount(prefix + "0123456789ab.tmp") <= 255);
        // Multi-byte names are cut on character boundaries.
        var wide = new string('é', 120) + ".json";
        Assert.True(Encoding.UTF8.GetByteCount(SecureFileStore.TemporaryPrefix(wide) + "0123456789ab.tmp") <= 255);

        // A stale temporary file of the long name is found by the same pattern.
        var stale = Path.Combine(dir.Path, prefix + "0123456789ab.tmp");
        File.WriteAllText(stale, "x");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddMinutes(-1));
        new TokenFile("eyJ.c.d", DateTimeOffset.UtcNow).Write(Store(dir), path);
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void Fifty_concurrent_writers_leave_one_complete_valid_file_and_no_temporary_file()
    {
        using var dir = new TempDir();
        var path = dir.Combine("shared", "auth-token.json");
        var store = Store(dir);
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, 50).Select(i => new Thread(() =>
        {
            try
            {
                for (var n = 0; n < 4; n++)
                    new TokenFile($"header.payload{i:00}-{new string('x', 2000)}.signature", DateTimeOffset.UtcNow).Write(store, path);
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(60_000), "a writer hung"));
        Assert.Empty(errors);
        Assert.Matches(@"^header\.payload\d\d-x{2000}\.signature$", TokenFile.Read(Store(dir), path).Token);
        Assert.Equal(new[] { "auth-token.json" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_writer_killed_mid_stream_leaves_a_whole_token_and_its_leftovers_go_with_the_next_write()
    {
        using var dir = new TempDir();
        var path = dir.Combine("auth-token.json");
        var token = $"header.payload-{new string('k', 50_000)}.signature";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(StoreWriter.Path);
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(token);
        start.ArgumentList.Add("100000");
        using (var writer = Process.Start(start)!)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(path) && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Thread.Sleep(200);
            writer.Kill(entireProcessTree: true);
            writer.WaitForExit(10_000);
        }
        Assert.Equal(token, TokenFile.Read(Store(dir), path).Token);

        foreach (var left in Directory.GetFiles(dir.Path, "*.tmp")) File.SetLastWriteTimeUtc(left, DateTime.UtcNow.AddMinutes(-1));
        new TokenFile("eyJ.after.kill", DateTimeOffset.UtcNow).Write(Store(dir), path);
        Assert.Equal(new[] { "auth-token.json" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
