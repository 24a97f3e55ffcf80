using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Status;
using NaraAuth.Emulator;

namespace NaraAuth.Core.Tests;

/// <summary>The status of each credential kind from the files alone (the online checks run through the engine against the emulator).</summary>
public class CredentialInventoryTests : IDisposable
{
    // Server tokens are the organization's, not the machine's: reported only with -RotationAge.
    private static readonly CredentialKind[] MachineKinds = Enum.GetValues<CredentialKind>().Where(k => k != CredentialKind.ServerToken).ToArray();

    private readonly EmulatorState _state = new(new EmulatorOptions());
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _state.Dispose();
        _dir.Dispose();
    }

    private CoreContext Context(FakeEnvironment environment) =>
        new(environment, new FakeClock(DateTimeOffset.UtcNow), _dir.Path);

    [Fact]
    public async Task An_empty_profile_has_one_missing_record_per_kind_and_nothing_is_created()
    {
        var environment = new FakeEnvironment(_dir.Combine("home"));

        var statuses = await new CredentialInventory(Context(environment)).ListAsync(new CredentialQuery(), CancellationToken.None);

        Assert.Equal(MachineKinds, statuses.Select(s => s.Kind));
        Assert.All(statuses, s => Assert.Equal(CredentialState.Missing, s.State));
        Assert.All(statuses, s => Assert.Null(s.IsProtected));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task Unprotected_outranks_expired_and_the_reason_names_the_fix()
    {
        Storage.UnixTestTools.RequireUnix();
        var environment = new FakeEnvironment(_dir.Combine("home")).Set("EDGE_CONNECTOR_HOME", _dir.Path);
        File.WriteAllText(_dir.Combine("config.json"), "{}");
        var token = _dir.Combine("auth-token.json");
        File.WriteAllText(token, "{\"token\": \"" + _state.MintToken(subject: "user_9", lifetime: TimeSpan.FromMinutes(-1)) + "\"}");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var query = new CredentialQuery { Kinds = new[] { CredentialKind.EdgeConnectorToken } };

        var expired = (await new CredentialInventory(Context(environment)).ListAsync(query, CancellationToken.None)).Single();
        Assert.Equal((CredentialState.Expired, "user_9", true), (expired.State, expired.Subject, expired.IsProtected));

        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var loose = (await new CredentialInventory(Context(environment)).ListAsync(query, CancellationToken.None)).Single();
        Assert.Equal(CredentialState.Unprotected, loose.State);
        Assert.Contains("chmod 600", loose.Problem);
    }

    [Fact]
    public async Task A_broken_config_json_is_reported_as_invalid_and_the_other_kinds_still_are()
    {
        var environment = new FakeEnvironment(_dir.Combine("home")).Set("EDGE_CONNECTOR_HOME", _dir.Path);
        File.WriteAllText(_dir.Combine("config.json"), "{ not json, secret-looking-text");

        var statuses = await new CredentialInventory(Context(environment)).ListAsync(new CredentialQuery(), CancellationToken.None);

        Assert.Equal(MachineKinds, statuses.Select(s => s.Kind));
        foreach (var broken in statuses.Where(s => s.Kind is CredentialKind.EdgeConnectorToken or CredentialKind.EdgeConnectorBundle))
        {
            Assert.Equal(CredentialState.Invalid, broken.State);
            Assert.Equal(_dir.Combine("config.json"), broken.Path);
            Assert.Contains("ConfigFileNotJson", broken.Problem);
            Assert.DoesNotContain("secret-looking-text", broken.Problem);
        }
        Assert.All(statuses.Where(s => s.Kind is not (CredentialKind.EdgeConnectorToken or CredentialKind.EdgeConnectorBundle)),
            s => Assert.Equal(CredentialState.Missing, s.State));
    }

    [Fact]
    public async Task A_file_that_is_not_a_token_file_is_invalid_without_quoting_it()
    {
        var environment = new FakeEnvironment(_dir.Combine("home")).Set("EDGE_CONNECTOR_HOME", _dir.Path);
        File.WriteAllText(_dir.Combine("config.json"), "{}");
        File.WriteAllText(_dir.Combine("auth-token.json"), "{\"note\": \"very-secret-note\"");
        var query = new CredentialQuery { Kinds = new[] { CredentialKind.EdgeConnectorToken } };

        var status = (await new CredentialInventory(Context(environment)).ListAsync(query, CancellationToken.None)).Single();

        Assert.Equal(CredentialState.Invalid, status.State);
        Assert.DoesNotContain("very-secret-note", status.Problem);
    }
}
