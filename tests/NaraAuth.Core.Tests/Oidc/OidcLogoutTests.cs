using NaraAuth.Core.Oidc;
using NaraAuth.Core.Oidc.Msal;
using NaraAuth.Core.Storage;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Core.Tests.Oidc;

/// <summary>A logout ends at the provider what its discovery advertises, over real HTTP to the emulator's provider.</summary>
public class OidcLogoutTests
{
    private const string Client = "naraauth-cli";

    /// <summary>A person's login at the emulator's provider, as a device code login leaves it: the provider knows its refresh token.</summary>
    internal static (OidcSession Session, string RefreshToken) PersonLogin(EmulatorServer server)
    {
        var issuer = server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/oidc";
        var who = new OidcProviderStore.Identity("ada", "ada@example.com", null);
        var refresh = server.State.Oidc.RememberRefresh(Client, who, "openid offline_access")!;
        var idToken = server.State.Oidc.MintIdToken(issuer, Client, who);
        var session = new OidcSession(issuer, Client, "openid offline_access", new OidcIdentity("ada", null, null, issuer, null),
            new OidcTokens(idToken, "at_person", refresh, null), DateTimeOffset.UtcNow);
        return (session, refresh);
    }

    [Fact]
    public async Task The_refresh_token_is_revoked_and_the_session_ended_and_the_token_no_longer_refreshes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        var (session, refresh) = PersonLogin(server);

        var result = await new OidcLogout(new RecordingReporter()).EndAsync(session, refresh, ct);

        Assert.Null(result.Problem);
        Assert.Equal(new[] { RevokedAtProvider.RefreshToken, RevokedAtProvider.Session }, result.Revoked);
        Assert.Equal(("refresh_token", Client, true), Assert.Single(server.State.Oidc.Revocations));
        Assert.Equal((Client, true), Assert.Single(server.State.Oidc.EndedSessions));
        Assert.Null(server.State.Oidc.Refresh(refresh, Client));
    }

    [Fact]
    public async Task A_lost_revocation_answer_is_retried_once_more_and_then_counts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        var (session, refresh) = PersonLogin(server);
        server.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/revoke", Drop = true, AfterHandler = true });
        var reporter = new RecordingReporter();

        var result = await new OidcLogout(reporter).EndAsync(session, refresh, ct);

        Assert.Null(result.Problem);
        Assert.Contains(RevokedAtProvider.RefreshToken, result.Revoked);
        Assert.Equal(2, server.State.Faults.CountOf("POST", "/oidc/revoke"));
        Assert.Single(reporter.Retries());
    }

    [Fact]
    public async Task A_failing_provider_is_retried_a_bounded_number_of_times_and_becomes_a_problem_that_quotes_no_token()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        var (session, refresh) = PersonLogin(server);
        server.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/revoke", Status = 503, Count = 100 });

        var result = await new OidcLogout(new RecordingReporter()).EndAsync(session, refresh, ct);

        Assert.Equal(1 + OidcLogout.Retry.MaxRetries, server.State.Faults.CountOf("POST", "/oidc/revoke"));
        Assert.Equal(new[] { RevokedAtProvider.Session }, result.Revoked);
        Assert.NotNull(result.Problem);
        Assert.Contains("refresh token", result.Problem);
        Assert.DoesNotContain(refresh, result.Problem);
        Assert.NotNull(server.State.Oidc.Refresh(refresh, Client));
    }

    [Fact]
    public async Task A_hostile_provider_echoing_the_token_and_id_token_back_has_them_masked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        var (session, refresh) = PersonLogin(server);
        server.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/revoke", EchoCredentials = true, Status = 400, Count = 10 });
        server.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/end_session", Status = 500, Body = "{\"error\":\"" + session.Tokens.IdToken + "\"}", Count = 10 });

        var result = await new OidcLogout(new RecordingReporter()).EndAsync(session, refresh, ct);

        Assert.Empty(result.Revoked);
        Assert.NotNull(result.Problem);
        Assert.DoesNotContain(refresh, result.Problem);
        Assert.DoesNotContain(session.Tokens.IdToken!, result.Problem);
    }

    [Fact]
    public async Task A_client_credentials_login_revokes_its_access_token_and_ends_no_session()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        var issuer = server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/oidc";
        var session = new OidcSession(issuer, Client, "api", new OidcIdentity(Client, null, null, issuer, null), new OidcTokens(null, "at_machine", null, null), DateTimeOffset.UtcNow);

        var result = await new OidcLogout(new RecordingReporter()).EndAsync(session, null, ct);

        Assert.Null(result.Problem);
        Assert.Equal(new[] { RevokedAtProvider.AccessToken }, result.Revoked);
        Assert.Equal(("access_token", Client, false), Assert.Single(server.State.Oidc.Revocations));
        Assert.Empty(server.State.Oidc.EndedSessions);
    }

    [Fact]
    public async Task An_unreachable_provider_revokes_nothing_and_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        var (session, refresh) = PersonLogin(server);
        server.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/.well-known", Status = 404, Count = 10 });

        var result = await new OidcLogout(new RecordingReporter()).EndAsync(session, refresh, ct);

        Assert.Empty(result.Revoked);
        Assert.Contains("discovery document", result.Problem);
        Assert.Empty(server.State.Oidc.Revocations);
    }

    [Fact]
    public void The_browser_login_refresh_token_is_found_in_MSAL_cache_for_its_own_client_and_account_only()
    {
        using var home = new TempDir();
        var env = new FakeEnvironment(home.Path);
        var store = new SecureFileStore(env);
        var path = Path.Combine(home.Path, "s.msal.bin");
        store.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes("""
            {"RefreshToken": {
              "a": {"home_account_id": "other.acct", "client_id": "naraauth-cli", "credential_type": "RefreshToken", "secret": "rt_other"},
              "b": {"home_account_id": "ada.acct", "client_id": "another-client", "credential_type": "RefreshToken", "secret": "rt_client"},
              "c": {"home_account_id": "ada.acct", "client_id": "naraauth-cli", "credential_type": "RefreshToken", "secret": "rt_ada"}}}
            """));

        Assert.Equal("rt_ada", MsalCacheRefreshToken.Find(store, path, Client, "ada.acct"));
        Assert.Null(MsalCacheRefreshToken.Find(store, path, Client, "nobody.acct"));
        Assert.Null(MsalCacheRefreshToken.Find(store, Path.Combine(home.Path, "none.bin"), Client, null));
        store.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Null(MsalCacheRefreshToken.Find(store, path, Client, null));
    }
}
