using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Logout;
using NaraAuth.Core.Oidc;
using NaraAuth.Core.Sessions;
using NaraAuth.Emulator;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Core.Tests.Sessions;

/// <summary>
/// The logout of a saved login, as Disconnect-EdgePlane and Disconnect-OidcSession run it: what it
/// asks, what it says, what it removes, and that a direct OIDC login is ended at its provider (the
/// emulator's, over real HTTP) only once the removal is confirmed.
/// </summary>
public class SavedLoginLogoutTests
{
    private const string Client = "naraauth-cli";

    private static (SavedLoginCatalog Catalog, CoreContext Context, RecordingReporter Reporter) Home(TempDir home)
    {
        var reporter = new RecordingReporter();
        var context = new CoreContext(new FakeEnvironment(home.Path), new FakeClock(DateTimeOffset.UtcNow), home.Path, reporter);
        return (new SavedLoginCatalog(context.Environment, context.Store), context, reporter);
    }

    private static void SaveEdgePlaneSession(SavedLoginCatalog catalog)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(catalog.EdgePlanePath)!);
        File.WriteAllText(catalog.EdgePlanePath, "{}");
    }

    /// <summary>A device-code login at the emulator's provider saved where Invoke-OidcCliLogin saves it; returns its refresh token.</summary>
    private static (string Path, string Refresh) SaveOidcLogin(EmulatorServer server, CoreContext context)
    {
        var (session, refresh) = Oidc.OidcLogoutTests.PersonLogin(server);
        var issuer = session.Issuer;
        var path = OidcSession.PathFor(context.Environment, issuer, Client, "openid offline_access");
        session.Write(context.Store, path);
        return (path, refresh);
    }

    [Fact]
    public async Task The_EdgePlane_session_is_deleted_with_its_notes_and_a_second_logout_is_NotConnected()
    {
        using var home = new TempDir();
        var (catalog, _, reporter) = Home(home);
        SaveEdgePlaneSession(catalog);

        var logout = catalog.EdgePlaneLogout(reporter);
        Assert.Equal(catalog.EdgePlanePath, logout.Target);
        Assert.Equal("Delete the EdgePlane session file", logout.Action);
        Assert.Equal(LogoutStatus.Disconnected, await logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));

        Assert.False(File.Exists(catalog.EdgePlanePath));
        Assert.Equal(new[] { catalog.EdgePlanePath }, logout.Removed);
        Assert.Equal(new[]
        {
            $"Deleted '{catalog.EdgePlanePath}'.",
            "The session stays valid on the server until it expires or an administrator revokes it.",
        }, reporter.Verbose);
        Assert.Empty(logout.RevokedAtProvider);

        var again = catalog.EdgePlaneLogout(reporter);
        Assert.Null(again.Action);
        Assert.Equal(LogoutStatus.NotConnected, await again.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));
        Assert.Equal($"Not connected: there is no saved session at '{catalog.EdgePlanePath}'; nothing to remove.", reporter.Verbose.Last());
    }

    [Fact]
    public async Task A_folder_where_the_session_file_belongs_is_never_deleted()
    {
        using var home = new TempDir();
        var (catalog, _, reporter) = Home(home);
        // A folder where the file should be: it is not the session, so there is nothing to remove.
        Directory.CreateDirectory(catalog.EdgePlanePath);
        File.WriteAllText(Path.Combine(catalog.EdgePlanePath, "inside"), "x");

        var logout = catalog.EdgePlaneLogout(reporter);

        Assert.Null(logout.Action);
        Assert.Equal(LogoutStatus.NotConnected, await logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Path.Combine(catalog.EdgePlanePath, "inside")));
    }

    [Fact]
    public async Task A_session_file_that_is_a_symbolic_link_loses_only_the_link_and_its_target_is_kept()
    {
        NaraAuth.Core.Tests.Storage.UnixTestTools.RequireUnix();
        using var home = new TempDir();
        var (catalog, _, reporter) = Home(home);
        // A hostile link put where the session belongs, pointing at a file of the person's that is no session.
        var precious = Path.Combine(home.Path, "thesis.txt");
        File.WriteAllText(precious, "keep me");
        Directory.CreateDirectory(Path.GetDirectoryName(catalog.EdgePlanePath)!);
        File.CreateSymbolicLink(catalog.EdgePlanePath, precious);

        var logout = catalog.EdgePlaneLogout(reporter);
        Assert.Equal(LogoutStatus.Disconnected, await logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));

        Assert.False(File.Exists(catalog.EdgePlanePath) || new FileInfo(catalog.EdgePlanePath).LinkTarget != null);
        Assert.Equal("keep me", File.ReadAllText(precious));
    }

    [Fact]
    public async Task The_EdgePlane_session_given_by_path_is_logged_out_as_Disconnect_EdgePlane_does_and_any_other_path_is_refused()
    {
        using var home = new TempDir();
        var (catalog, _, reporter) = Home(home);
        SaveEdgePlaneSession(catalog);

        var logout = catalog.LogoutOf(catalog.EdgePlanePath, reporter);
        Assert.Equal("Delete the EdgePlane session file", logout.Action);
        await logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken);
        Assert.Contains("The session stays valid on the server until it expires or an administrator revokes it.", reporter.Verbose);

        // A hostile piped object naming somebody's file: refused before anything is planned.
        var other = Path.Combine(home.Path, "notes.json");
        File.WriteAllText(other, "{}");
        var e = Assert.Throws<NaraAuthException>(() => catalog.LogoutOf(other, reporter));
        Assert.Equal("NotASessionFile", e.ErrorId);
        Assert.True(File.Exists(other));
        // Beside the OIDC sessions, but not a session file either.
        var beside = Path.Combine(catalog.OidcFolder, "notes.txt");
        Assert.Equal("NotASessionFile", Assert.Throws<NaraAuthException>(() => catalog.LogoutOf(beside, reporter)).ErrorId);
    }

    [Fact]
    public async Task No_login_saved_at_the_provider_is_NotConnected_for_the_folder_the_logins_live_in()
    {
        using var home = new TempDir();
        var (catalog, context, reporter) = Home(home);

        var logout = catalog.LogoutBySettings("https://idp.example.com/", null, null, context);

        Assert.Equal(catalog.OidcFolder, logout.Target);
        Assert.Null(logout.Action);
        Assert.Equal(LogoutStatus.NotConnected, await logout.ExecuteAsync(confirmed: true, TestContext.Current.CancellationToken));
        Assert.Equal($"Not connected: there is no saved session at '{catalog.OidcFolder}'; nothing to remove.", Assert.Single(reporter.Verbose));
    }

    [Fact]
    public async Task A_direct_OIDC_login_is_revoked_at_the_provider_then_its_files_go_and_not_confirmed_calls_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        using var home = new TempDir();
        var (catalog, context, reporter) = Home(home);
        var (path, refresh) = SaveOidcLogin(server, context);
        var cache = OidcLogin.MsalCachePathFor(path);

        var declined = catalog.LogoutBySettings(server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/oidc", Client, new[] { "openid", "offline_access" }, context);
        Assert.Equal(path, declined.Target);
        Assert.Equal("Delete the OIDC session file", declined.Action);
        Assert.Equal(LogoutStatus.WhatIf, await declined.ExecuteAsync(confirmed: false, ct));
        Assert.Empty(server.State.Oidc.Revocations);
        Assert.True(File.Exists(path));

        // A browser login keeps its refresh token in MSAL's cache beside the session: both go.
        File.WriteAllText(cache, "{}");
        var logout = catalog.LogoutOf(path, reporter);
        Assert.Equal("Delete the OIDC session file and its MSAL token cache", logout.Action);
        Assert.Equal(LogoutStatus.Disconnected, await logout.ExecuteAsync(confirmed: true, ct));

        Assert.Equal(new[] { RevokedAtProvider.RefreshToken, RevokedAtProvider.Session }, logout.RevokedAtProvider);
        Assert.Null(logout.RevocationProblem);
        Assert.Equal(("refresh_token", Client, true), Assert.Single(server.State.Oidc.Revocations));
        Assert.Null(server.State.Oidc.Refresh(refresh, Client));
        Assert.Equal(new[] { path, cache }, logout.Removed);
        Assert.False(File.Exists(path) || File.Exists(cache));
        Assert.Contains($"Deleted '{cache}'.", reporter.Verbose);
        Assert.Equal("The login's files are gone from this machine; what the provider did not revoke stays valid there until it expires.", reporter.Verbose.Last());
        Assert.Empty(reporter.Warnings);
    }

    [Fact]
    public async Task A_hostile_provider_failing_the_revocation_is_a_warning_without_the_token_and_the_files_still_go()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions(), ct);
        using var home = new TempDir();
        var (catalog, context, reporter) = Home(home);
        var (path, refresh) = SaveOidcLogin(server, context);
        // Fails and quotes back every form field it was sent, the refresh token among them.
        server.State.Faults.Add(new FaultRule { PathPrefix = "/oidc/revoke", EchoCredentials = true, Status = 500, Count = 100 });

        var logout = catalog.LogoutOf(path, reporter);
        Assert.Equal(LogoutStatus.Disconnected, await logout.ExecuteAsync(confirmed: true, ct));

        Assert.False(File.Exists(path));
        Assert.DoesNotContain(RevokedAtProvider.RefreshToken, logout.RevokedAtProvider);
        Assert.NotNull(logout.RevocationProblem);
        var warning = Assert.Single(reporter.Warnings);
        Assert.EndsWith("The files are removed from this machine anyway.", warning);
        Assert.DoesNotContain(refresh, warning);
        Assert.DoesNotContain(refresh, logout.RevocationProblem);
        Assert.All(reporter.Verbose, v => Assert.DoesNotContain(refresh, v));
        // The provider kept the token: it was only removed locally, as the result says.
        Assert.NotNull(server.State.Oidc.Refresh(refresh, Client));
    }
}
