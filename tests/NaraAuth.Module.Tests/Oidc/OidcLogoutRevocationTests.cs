using System.Management.Automation;
using System.Net;
using System.Text.Json;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>Disconnect-OidcSession ends a device-code login at the emulator's provider before deleting its file, through -Proxy and within -TimeoutSec, and deletes it even when the provider fails or hangs.</summary>
public class OidcLogoutRevocationTests : IClassFixture<EmulatorFixture>
{
    private const string Login = "Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -UseDeviceCode -NoBrowser";
    private readonly EmulatorFixture _emulator;
    private OidcProviderStore Idp => _emulator.State.Oidc;
    private string Authority => _emulator.BaseUrl + "/oidc";

    public OidcLogoutRevocationTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
        Idp.AutoApprove = true;
        Idp.IssueRefreshTokens = true;
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
    }

    /// <summary>Logs in with the device code and returns the session file with its refresh and ID tokens.</summary>
    private (string Path, string RefreshToken, string IdToken) LogIn(PsSession session)
    {
        session.Run(Login, Authority).Single<object>();
        var path = (string)((dynamic)session.Run("Get-OidcSession -Kind OidcSession").Single<object>()).Path;
        using var saved = JsonDocument.Parse(File.ReadAllBytes(path));
        return (path, saved.RootElement.GetProperty("refresh_token").GetString()!, saved.RootElement.GetProperty("id_token").GetString()!);
    }

    [Fact]
    public void The_refresh_token_is_revoked_and_the_session_ended_at_the_provider_and_the_output_says_so()
    {
        using var session = new PsSession();
        var (path, refresh, idToken) = LogIn(session);
        var revocationsBefore = Idp.Revocations.Count;

        var ended = session.Run("Disconnect-OidcSession -Authority $args[0] -ClientId naraauth-cli -Confirm:$false -PassThru -Verbose", Authority);

        Assert.Null(ended.Error);
        Assert.Empty(ended.Warnings);
        dynamic result = ended.Single<object>();
        Assert.Equal("Disconnected", result.Status.ToString());
        Assert.Equal(new[] { "RefreshToken", "Session" }, (string[])result.RevokedAtProvider);
        Assert.Null((string?)result.RevocationProblem);
        Assert.False(File.Exists(path));
        Assert.Equal(("refresh_token", "naraauth-cli", true), Idp.Revocations.Skip(revocationsBefore).Single());
        // The provider refuses the revoked refresh token from now on.
        Assert.Null(Idp.Refresh(refresh, "naraauth-cli"));
        ended.AssertNoSecret(refresh);
        ended.AssertNoSecret(idToken);
        var shown = session.Run("$args[0] | Out-String", (object)ended.Output[0].BaseObject);
        Assert.Contains("RefreshToken, Session", string.Concat(shown.Output.Select(o => o.ToString())));
    }

    [Fact]
    public void A_provider_failing_revocation_is_a_warning_and_the_files_are_still_deleted_with_no_secret_shown()
    {
        using var session = new PsSession();
        var (path, refresh, idToken) = LogIn(session);
        // A hostile provider: fails and quotes back every form field it was sent, the refresh token among them.
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/revoke", EchoCredentials = true, Status = 500, Count = 100 });
        try
        {
            var ended = session.Run("Disconnect-OidcSession -Authority $args[0] -ClientId naraauth-cli -Confirm:$false -PassThru", Authority);

            Assert.Null(ended.Error);
            var warning = Assert.Single(ended.Warnings);
            Assert.Contains("refresh token", warning.Message);
            Assert.Contains("removed from this machine", warning.Message);
            dynamic result = ended.Single<object>();
            Assert.Equal("Disconnected", result.Status.ToString());
            Assert.DoesNotContain("RefreshToken", (string[])result.RevokedAtProvider);
            Assert.NotNull((string?)result.RevocationProblem);
            Assert.False(File.Exists(path));
            Assert.NotNull(Idp.Refresh(refresh, "naraauth-cli"));
            ended.AssertNoSecret(refresh);
            ended.AssertNoSecret(idToken);
        }
        finally
        {
            _emulator.State.Faults.Clear();
        }
    }

    [Fact]
    public void WhatIf_revokes_nothing()
    {
        using var session = new PsSession();
        var (path, refresh, _) = LogIn(session);
        var revocationsBefore = Idp.Revocations.Count;

        Assert.Null(session.Run("Disconnect-OidcSession -Authority $args[0] -ClientId naraauth-cli -WhatIf", Authority).Error);

        Assert.True(File.Exists(path));
        Assert.Equal(revocationsBefore, Idp.Revocations.Count);
        Assert.Null(session.Run("Disconnect-OidcSession -Authority $args[0] -ClientId naraauth-cli -Confirm:$false", Authority).Error);
        Assert.Null(Idp.Refresh(refresh, "naraauth-cli"));
    }

    [Fact]
    public void Revocation_goes_through_the_proxy_with_its_account_only_in_Proxy_Authorization_and_a_wrong_proxy_keeps_the_files()
    {
        var account = new NetworkCredential("proxy-user", "proxy-pass-must-not-leak-Lg8");
        using var session = new PsSession();
        using var proxy = new ForwardingProxy(account);
        var (path, refresh, idToken) = LogIn(session);
        var revocationsBefore = Idp.Revocations.Count;

        // A wrong -Proxy is refused before anything happens: nothing revoked, nothing deleted.
        session.Run("Disconnect-OidcSession -Path $args[0] -Proxy ftp://proxy.example.com -Confirm:$false", path).AssertError("InvalidProxy", ErrorCategory.InvalidArgument);
        Assert.True(File.Exists(path));
        Assert.Equal(revocationsBefore, Idp.Revocations.Count);

        _emulator.State.Faults.Clear();
        var ended = session.Run("Disconnect-OidcSession -Path $path -Proxy $proxy -ProxyCredential $proxyCredential -Confirm:$false -PassThru -Verbose",
            new Dictionary<string, object?> { ["path"] = path, ["proxy"] = proxy.Address, ["proxyCredential"] = new PSCredential(account.UserName, account.SecurePassword) });

        Assert.Null(ended.Error);
        Assert.Empty(ended.Warnings);
        dynamic result = ended.Single<object>();
        Assert.Equal(new[] { "RefreshToken", "Session" }, (string[])result.RevokedAtProvider);
        Assert.False(File.Exists(path));
        Assert.Equal(("refresh_token", "naraauth-cli", true), Idp.Revocations.Skip(revocationsBefore).Single());
        Assert.Contains(ended.Verbose, v => v.Message.Contains("through the proxy", StringComparison.Ordinal));
        // Discovery, revocation and end-session all came through the proxy's own connections, none around it.
        var seen = _emulator.State.Faults.Seen;
        Assert.Contains(seen, r => r.Method == "POST" && r.Path == "/oidc/revoke");
        Assert.All(seen, r => Assert.True(proxy.IsOwnOutboundPort(r.RemotePort), $"{r.Method} {r.Path} went around the proxy."));
        Assert.Contains(proxy.Forwarded, r => r.Method == "POST" && r.Target.EndsWith("/oidc/revoke", StringComparison.Ordinal));
        proxy.AssertAccountOnlyInProxyAuthorization(account);
        ended.AssertNoSecret(account.Password);
        ended.AssertNoSecret(refresh);
        ended.AssertNoSecret(idToken);
    }

    [Fact]
    public void TimeoutSec_bounds_a_revocation_endpoint_that_never_answers_and_the_files_still_go_with_a_warning()
    {
        using var session = new PsSession();
        var (path, refresh, idToken) = LogIn(session);
        // A provider that takes the request and never answers (far beyond any default bound).
        _emulator.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/revoke", Delay = TimeSpan.FromMinutes(10), Count = 100 });
        try
        {
            var ended = session.Run("Disconnect-OidcSession -Path $args[0] -TimeoutSec 1 -Confirm:$false -PassThru", path);

            Assert.Null(ended.Error);
            var warning = Assert.Single(ended.Warnings);
            // The bound is -TimeoutSec's, not the revocation's own default.
            Assert.Contains("did not answer within 1 s", warning.Message);
            Assert.Contains("removed from this machine anyway", warning.Message);
            dynamic result = ended.Single<object>();
            Assert.Equal("Disconnected", result.Status.ToString());
            Assert.Equal(new[] { "Session" }, (string[])result.RevokedAtProvider);
            Assert.Contains("1 s", (string)result.RevocationProblem);
            Assert.False(File.Exists(path));
            // A bounded few attempts, each given up after -TimeoutSec: the retries of an idempotent revocation, no more.
            Assert.InRange(_emulator.State.Faults.CountOf("POST", "/oidc/revoke"), 1, 3);
            ended.AssertNoSecret(refresh);
            ended.AssertNoSecret(idToken);
        }
        finally
        {
            _emulator.State.Faults.Clear();
        }
    }
}
