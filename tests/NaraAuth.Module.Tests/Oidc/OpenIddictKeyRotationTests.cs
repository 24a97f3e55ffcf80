using System.Management.Automation;
using NaraAuth.TestSupport.Harness;
using NaraAuth.TestSupport.Oidc;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>
/// Key rotation at OpenIddict, with a provider of its own: its JWKS address is new to this
/// process, so the first login meets an empty key cache, as a fresh console would.
/// </summary>
public class OpenIddictKeyRotationTests : IClassFixture<OpenIddictProviderFixture>
{
    private const string Login = "Invoke-OidcCliLogin -Authority $args[0] -ClientId naraauth-cli -LoginTimeoutSec 60";
    private readonly OpenIddictProviderFixture _idp;

    public OpenIddictKeyRotationTests(OpenIddictProviderFixture idp)
    {
        _idp = idp;
    }

    [Fact]
    public void A_key_the_provider_does_not_publish_is_refused_on_the_page_and_accepted_once_the_rotation_is_published()
    {
        using var session = new PsSession();
        var log = OidcBrowserDouble.Use(session);
        _idp.HideSigningKeys = true;
        var reads = _idp.JwksReads;
        var refused = session.Run(Login, _idp.Issuer);
        var error = refused.AssertError("IdTokenUnknownKey", ErrorCategory.SecurityError);
        Assert.Matches("signed with key '[^']+', which the provider does not publish", error.Exception!.Message);
        Assert.InRange(_idp.JwksReads - reads, 1, 2); // the cached set plus one refetch at most
        var page = OidcBrowserDouble.FinalPage(log);
        Assert.Contains("PowerShell refused the login", page);
        Assert.Contains("which the provider does not publish", page);
        Assert.DoesNotContain("You are logged in", page);
        Assert.Null(OidcSessionFiles.Single(session));

        // The provider now publishes its key: the cached (empty) set misses the kid, one refetch finds it.
        _idp.HideSigningKeys = false;
        reads = _idp.JwksReads;
        OidcBrowserDouble.Use(session);
        Assert.Equal("grace", (string)((dynamic)session.Run(Login, _idp.Issuer).Single<object>()).Subject);
        Assert.Equal(reads + 1, _idp.JwksReads);
    }
}
