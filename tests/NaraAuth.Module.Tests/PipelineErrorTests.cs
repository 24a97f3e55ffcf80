using System.Management.Automation;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests;

/// <summary>
/// With pipeline input, a record that fails is reported and the next record still runs; a failure
/// that no record could get past (no credential, a bad base URL) ends the command once.
/// </summary>
public class PipelineErrorTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public PipelineErrorTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        _emulator.State.ServerTokens.Clear();
    }

    [Fact]
    public void A_failed_create_from_the_pipeline_does_not_stop_the_next_one()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_TOKEN", _emulator.State.MintToken(subject: "pipeline_admin", role: "admin"));
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", Status = 500, Body = "{\"detail\": \"disk full\"}" });

        var result = session.Run("'first', 'second' | New-ServerToken | ForEach-Object Name");

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ServerError,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Equal(new[] { "second" }, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void ErrorAction_Stop_still_stops_at_the_first_failed_record()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_TOKEN", _emulator.State.MintToken(subject: "pipeline_stop", role: "admin"));
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/api/tokens", Method = "POST", Status = 500 });

        var result = session.Run("'first', 'second' | New-ServerToken -ErrorAction Stop | ForEach-Object Name");

        Assert.NotNull(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Equal(1, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
    }

    [Fact]
    public void A_failure_every_record_would_hit_ends_the_command_once()
    {
        using var session = new PsSession();
        session.SetEnv("NARA_BASE_URL", _emulator.BaseUrl);

        var result = session.Run("'first', 'second' | New-ServerToken");

        result.AssertError("NoCredential", ErrorCategory.AuthenticationError);
        // One error for the command, not one per piped name.
        Assert.Equal(1, result.Errors.Count + (result.Terminating != null ? 1 : 0));
        Assert.Empty(result.Output);
        Assert.Equal(0, _emulator.State.Faults.CountOf("POST", "/api/tokens"));
    }
}
