using System.Management.Automation;
using NaraAuth.Emulator;
using NaraAuth.Module.Tests.EdgePlane;
using NaraAuth.TestSupport.Harness;
using NaraAuth.TestSupport.Certificates;
using NaraAuth.TestSupport.Oidc;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>Get-OidcSession lists every saved login; Disconnect-OidcSession ends a direct OIDC one with its MSAL cache.</summary>
public class OidcSessionCmdletTests : IClassFixture<HttpsEmulatorFixture>
{
    private readonly HttpsEmulatorFixture _emulator;
    private OidcProviderStore Idp => _emulator.State.Oidc;

    public OidcSessionCmdletTests(HttpsEmulatorFixture emulator)
    {
        _emulator = emulator;
        Idp.AutoApprove = true;
        Idp.IdTokenLifetime = TimeSpan.FromHours(1);
        Idp.AccessTokenLifetime = TimeSpan.FromMinutes(30);
    }

    private static void SaveEdgePlaneSession(PsSession session, string baseUrl)
    {
        var dir = Path.Combine(session.Home, ".edgeplane");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "session.json"),
            $$"""{"token":"mcs_secret_value_123","subject":"ada","email":"ada@example.com","expires_at":"{{DateTime.UtcNow.AddHours(8):yyyy-MM-ddTHH:mm:ss.fffZ}}","base_url":"{{baseUrl}}","session_id":7}""");
    }

    [Fact]
    public void Every_saved_login_is_listed_with_each_tokens_expiry_and_ended_with_its_cache()
    {
        using var session = new PsSession();
        var https = _emulator.HttpsBaseUrl + "/oidc";
        var http = _emulator.BaseUrl + "/oidc";
        OidcBrowserDouble.Use(session, "grace");
        session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli", https).Single<object>();
        session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -UseDeviceCode -NoBrowser", http).Single<object>();
        SaveEdgePlaneSession(session, _emulator.BaseUrl);

        var listed = session.Run("Get-OidcSession");
        var logins = listed.Output.Select(o => (dynamic)o.BaseObject).ToList();
        Assert.Equal(3, logins.Count);
        dynamic browser = logins.Single(l => (string)l.Issuer == https);
        Assert.Equal("OidcSession", browser.Kind.ToString());
        Assert.Equal("grace", (string)browser.Subject);
        Assert.Equal("naraauth-cli", (string)browser.ClientId);
        Assert.True((bool)browser.CanRefresh);
        Assert.True(File.Exists((string)browser.CachePath));
        Assert.InRange((((DateTimeOffset)browser.AccessTokenExpiresOn) - DateTimeOffset.UtcNow).TotalMinutes, 25, 31);
        Assert.InRange((((DateTimeOffset)browser.IdTokenExpiresOn) - DateTimeOffset.UtcNow).TotalMinutes, 55, 61);
        dynamic device = logins.Single(l => (string)l.Issuer == http);
        Assert.Null((string?)device.CachePath);
        Assert.True((bool)device.CanRefresh);
        dynamic edge = logins.Single(l => l.Kind.ToString() == "EdgePlaneSession");
        Assert.Equal(_emulator.BaseUrl, (string)edge.Issuer);
        Assert.Equal("ada", (string)edge.Subject);

        // The table view shows these columns and no token (the host here cannot render, so the view is read).
        var view = System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.StagedModuleDirectory, "NaraAuth.EdgePlane.format.ps1xml"))
            .Descendants("View").Single(v => v.Element("Name")!.Value == "NaraAuth.Models.SavedLoginInfo.Table");
        var columns = view.Descendants("Label").Select(l => l.Value).ToList();
        Assert.Equal(new[] { "Kind", "Subject", "Issuer", "ClientId", "IdTokenExpiresOn", "AccessTokenExpiresOn", "CanRefresh", "Path" }, columns);
        listed.AssertNoSecret("mcs_secret_value_123");
        // One vocabulary with Get-NaraAuthStatus -Kind; 0.1's words still select the same logins.
        Assert.Single(session.Run("Get-OidcSession -Kind EdgePlaneSession").Output);
        Assert.Single(session.Run("Get-OidcSession -Kind EdgePlane").Output);
        Assert.Equal(2, session.Run("Get-OidcSession -Kind OidcSession").Output.Count);
        Assert.Equal(2, session.Run("Get-OidcSession -Kind Oidc").Output.Count);
        session.Run("Get-OidcSession -Kind WorkerToken").AssertError("ParameterArgumentValidationError", ErrorCategory.InvalidData);

        // -WhatIf deletes nothing; then the browser login is ended with its MSAL cache.
        var browserPath = (string)browser.Path;
        var cachePath = (string)browser.CachePath;
        session.Run("Disconnect-OidcSession -Authority $args[0] -ClientId naraauth-cli -WhatIf", https);
        Assert.True(File.Exists(browserPath) && File.Exists(cachePath));
        var revocationsBefore = Idp.Revocations.Count;
        var ended = session.Run("Disconnect-OidcSession -Authority $args[0] -ClientId naraauth-cli -Confirm:$false", https);
        Assert.Null(ended.Error);
        Assert.False(File.Exists(browserPath));
        Assert.False(File.Exists(cachePath));
        Assert.Contains(ended.Verbose, v => v.Message.Contains(".msal.bin", StringComparison.Ordinal));
        // The browser login's refresh token, kept in MSAL's cache, was revoked at the provider first.
        Assert.Contains(("refresh_token", "naraauth-cli", true), Idp.Revocations.Skip(revocationsBefore));

        // Again: nothing there, a verbose note and no error (as every Disconnect- cmdlet).
        var twice = session.Run("Disconnect-OidcSession -Authority $args[0] -ClientId naraauth-cli -Verbose", https);
        Assert.Null(twice.Error);
        Assert.Empty(twice.Warnings);
        Assert.Contains(twice.Verbose, v => v.Message.Contains("nothing to remove", StringComparison.Ordinal));

        // The pipeline ends everything that is left, the EdgePlane session included.
        var all = session.Run("Get-OidcSession | Disconnect-OidcSession -Confirm:$false");
        Assert.Null(all.Error);
        Assert.Empty(session.Run("Get-OidcSession").Output);
        Assert.False(File.Exists(Path.Combine(session.Home, ".edgeplane", "session.json")));
    }

    [Fact]
    public void The_authority_alone_ends_its_one_login_and_refuses_to_guess_between_two()
    {
        using var session = new PsSession();
        var http = _emulator.BaseUrl + "/oidc";
        Idp.Clients.Add("second-cli");
        try
        {
            // Nothing saved at the provider yet: nothing to remove, no error.
            var none = session.Run("Disconnect-OidcSession -Authority $args[0] -PassThru", http);
            Assert.Null(none.Error);
            Assert.Equal("NotConnected", ((dynamic)none.Single<object>()).Status.ToString());

            session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -UseDeviceCode -NoBrowser", http).Single<object>();
            var only = (string)((dynamic)session.Run("Get-OidcSession -Kind OidcSession").Single<object>()).Path;
            session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId second-cli -UseDeviceCode -NoBrowser", http).Single<object>();
            Assert.Equal(2, session.Run("Get-OidcSession -Kind OidcSession").Output.Count);

            // Two logins at one provider: which one is meant is not clear, so nothing is deleted.
            var ambiguous = session.Run("Disconnect-OidcSession -Authority $args[0] -Confirm:$false", http);
            var error = ambiguous.AssertError("OidcSessionAmbiguous", ErrorCategory.InvalidArgument);
            Assert.Contains("naraauth-cli", error.Exception.Message);
            Assert.Contains("second-cli", error.Exception.Message);
            Assert.True(File.Exists(only));
            Assert.Equal(2, session.Run("Get-OidcSession -Kind OidcSession").Output.Count);

            // With the other one ended by its client id, the authority alone names the one left.
            Assert.Null(session.Run("Disconnect-OidcSession -Authority $args[0] -ClientId second-cli -Confirm:$false", http).Error);
            var ended = session.Run("Disconnect-OidcSession -Authority $args[0] -Confirm:$false -PassThru", http);
            Assert.Null(ended.Error);
            Assert.Equal(only, (string)((dynamic)ended.Single<object>()).Path);
            Assert.False(File.Exists(only));
            Assert.Empty(session.Run("Get-OidcSession -Kind OidcSession").Output);
        }
        finally
        {
            Idp.Clients.Remove("second-cli");
        }
    }

    [Fact]
    public void A_path_that_is_no_saved_login_is_refused_and_kept()
    {
        using var session = new PsSession();
        var other = Path.Combine(session.WorkDir, "notes.json");
        File.WriteAllText(other, "{}");
        var result = session.Run("Disconnect-OidcSession -Path $args[0] -Confirm:$false", other);
        result.AssertError("NotASessionFile", ErrorCategory.InvalidArgument);
        Assert.True(File.Exists(other));
    }
}
