using System.Management.Automation;
using System.Security;
using NaraAuth.Emulator;
using NaraAuth.Module.Tests.Oidc;
using NaraAuth.OidcTestProvider;
using NaraAuth.TestSupport.Harness;

namespace NaraAuth.Module.Tests.EdgePlane;

/// <summary>
/// A pipeline with no person and no stored EdgePlane token: the module's own client-credentials
/// login (a client secret, or the Azure Pipelines job's ID token with -WorkloadIdentity) against
/// OpenIddict, then that access token with -Token to the emulator's EdgePlane, which trusts
/// OpenIddict as its issuer (discovery and JWKS over loopback http). Accepted in AUTH_MODE oidc as
/// the client, refused with a clear 401 in token mode; neither the client secret nor the access
/// token is in any stream.
/// </summary>
public sealed class EdgePlaneWithClientCredentialsTests : IClassFixture<EmulatorFixture>, IClassFixture<ClientCredentialsProviderFixture>
{
    private const string UseToken =
        "Get-EdgePlaneIdentity -Token $login.AccessToken; Invoke-EdgePlaneRestMethod -Token $login.AccessToken -Method Post /api/projects @{ name = 'from-workload' }";

    private readonly EmulatorFixture _emulator;
    private readonly ClientCredentialsProvider _idp;

    public EdgePlaneWithClientCredentialsTests(EmulatorFixture emulator, ClientCredentialsProviderFixture provider)
    {
        _emulator = emulator;
        _idp = provider.Provider;
        _idp.OnlyClientSecretPost = false;
        _emulator.Reset();
        _emulator.State.EdgePlane.Projects.Clear();
    }

    private void EdgePlaneMode(EdgePlaneAuthMode mode)
    {
        _emulator.State.EdgePlane.AuthMode = mode;
        _emulator.State.EdgePlane.OidcIssuer = _idp.Issuer;
        _emulator.State.EdgePlane.OidcAudience = ClientCredentialsProvider.EdgePlaneAudience;
    }

    private PsSession PipelineSession()
    {
        var session = new PsSession();
        session.SetEnv("TF_BUILD", "True");
        session.SetEnv("GITHUB_ACTIONS", null);
        session.SetEnv("EP_BASE_URL", _emulator.BaseUrl);
        session.SetEnv("EP_TOKEN", null);
        session.SetEnv("SYSTEM_OIDCREQUESTURI", _idp.AzureRequestUri);
        session.SetEnv("SYSTEM_ACCESSTOKEN", _idp.SystemAccessToken);
        return session;
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    private static string PlainAccessToken(PsSession session) =>
        session.Run("[System.Net.NetworkCredential]::new('', $login.AccessToken).Password").Single<string>();

    /// <summary>Logs in with the given script, then uses the access token in oidc mode and in token mode.</summary>
    private (PsResult Login, PsResult Accepted, PsResult Refused, string AccessToken) LoginThenEdgePlane(PsSession session, string login, params object?[] args)
    {
        var loggedIn = session.Run("$login = " + login, args);
        Assert.True(loggedIn.Errors.Count == 0 && loggedIn.Terminating == null, loggedIn.Error?.ToString());
        var accessToken = PlainAccessToken(session);
        EdgePlaneMode(EdgePlaneAuthMode.Oidc);
        var accepted = session.Run(UseToken);
        EdgePlaneMode(EdgePlaneAuthMode.Token);
        var refused = session.Run(UseToken);
        return (loggedIn, accepted, refused, accessToken);
    }

    private static void AssertAcceptedAs(PsResult accepted, string subject)
    {
        Assert.True(accepted.Errors.Count == 0 && accepted.Terminating == null, accepted.Error?.ToString());
        Assert.Equal(2, accepted.Output.Count);
        Assert.Equal(subject, (string)((dynamic)accepted.Output[0]).Subject);
        Assert.Equal(subject, accepted.Output[1].Properties["created_by"]?.Value?.ToString());
    }

    private static void AssertRefusedClearly(PsResult refused)
    {
        var error = refused.AssertError("EdgePlaneTokenRejected", ErrorCategory.AuthenticationError);
        Assert.Contains("an OIDC access token from the -Token parameter", error.Exception.Message);
        Assert.Contains("AUTH_MODE=token", error.Exception.Message);
    }

    [Fact]
    public void A_client_secret_login_gives_an_access_token_EdgePlane_accepts_in_oidc_mode_as_the_client_and_refuses_in_token_mode()
    {
        using var session = PipelineSession();
        var (login, accepted, refused, accessToken) = LoginThenEdgePlane(session,
            "Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -ClientSecret $args[2] -Scopes api.read",
            _idp.Issuer, ClientCredentialsProvider.SecretClientId, Secure(_idp.ClientSecret));

        AssertAcceptedAs(accepted, ClientCredentialsProvider.SecretClientId);
        AssertRefusedClearly(refused);
        foreach (var result in new[] { login, accepted, refused })
        {
            result.AssertNoSecret(_idp.ClientSecret);
            result.AssertNoSecret(accessToken);
        }
    }

    [Fact]
    public void A_workload_identity_login_in_Azure_Pipelines_gives_an_access_token_EdgePlane_accepts_with_no_secret_stored()
    {
        using var session = PipelineSession();
        var (login, accepted, refused, accessToken) = LoginThenEdgePlane(session,
            "Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -WorkloadIdentity -ServiceConnectionId $args[2]",
            _idp.Issuer, ClientCredentialsProvider.FederatedClientId, ClientCredentialsProvider.ServiceConnectionId);

        AssertAcceptedAs(accepted, ClientCredentialsProvider.FederatedClientId);
        AssertRefusedClearly(refused);
        foreach (var result in new[] { login, accepted, refused })
        {
            result.AssertNoSecret(_idp.SystemAccessToken);
            result.AssertNoSecret(accessToken);
        }
    }

    [Fact]
    public void EdgePlane_trusting_another_issuer_refuses_the_providers_access_token_with_the_reason()
    {
        using var session = PipelineSession();
        var loggedIn = session.Run("$login = Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -ClientSecret $args[2] -Scopes api.read",
            _idp.Issuer, ClientCredentialsProvider.SecretClientId, Secure(_idp.ClientSecret));
        Assert.Null(loggedIn.Error);
        var accessToken = PlainAccessToken(session);
        EdgePlaneMode(EdgePlaneAuthMode.Oidc);
        _emulator.State.EdgePlane.OidcIssuer = null; // the emulator's own identity provider
        var refused = session.Run("Get-EdgePlaneIdentity -Token $login.AccessToken");
        var error = refused.AssertError("EdgePlaneTokenRejected", ErrorCategory.AuthenticationError);
        Assert.Matches("no signing key|invalid issuer|invalid signature", error.Exception.Message);
        refused.AssertNoSecret(accessToken);
    }

    [Fact]
    public void The_workload_identity_Azure_Pipelines_sample_calls_EdgePlane_with_no_secret_variable_and_shows_no_token()
    {
        var (variables, steps) = ExamplesTests.ReadPipeline(Path.Combine(RepoPaths.Root, "docs", "examples", "edgeplane-workload-identity.azure-pipelines.yml"));
        Assert.Equal(2, steps.Count);
        Assert.All(steps.SelectMany(s => s.Env.Values), v => Assert.Equal("$(System.AccessToken)", v));
        variables["EP_BASE_URL"] = _emulator.BaseUrl;
        variables["OIDC_ISSUER_URL"] = _idp.Issuer;
        variables["OIDC_CLIENT_ID"] = ClientCredentialsProvider.FederatedClientId;
        variables["SERVICE_CONNECTION_ID"] = ClientCredentialsProvider.ServiceConnectionId;
        variables["EDGEPLANE_SCOPE"] = "api.read";
        EdgePlaneMode(EdgePlaneAuthMode.Oidc);

        var results = new List<PsResult>();
        foreach (var run in new[] { 1, 2 })
        {
            foreach (var step in steps)
            {
                // Each step is its own pwsh process on the agent: a fresh engine without the module imported.
                using var session = new PsSession(importModule: false);
                session.SetEnv("TF_BUILD", "True");
                session.SetEnv("GITHUB_ACTIONS", null);
                session.SetEnv("SYSTEM_OIDCREQUESTURI", _idp.AzureRequestUri);
                foreach (var (name, value) in variables) session.SetEnv(name, value);
                foreach (var (name, _) in step.Env) session.SetEnv(name, _idp.SystemAccessToken);
                var result = session.Run(step.Script);
                Assert.True(result.Terminating == null && result.Errors.Count == 0, $"Step '{step.DisplayName}' failed: {result.Error}");
                results.Add(result);
            }
        }
        Assert.Equal("Calling EdgePlane as " + ClientCredentialsProvider.FederatedClientId, results[1].Output[0].ToString());
        // The second run finds the project the first one made.
        var project = Assert.Single(_emulator.State.EdgePlane.Projects.Values);
        Assert.Equal("edge-fleet", project.Name);
        Assert.Equal(ClientCredentialsProvider.FederatedClientId, project.CreatedBy);
        Assert.Equal(project.Id.ToString(), results[1].Output[1].ToString());
        Assert.Equal(project.Id.ToString(), results[3].Output[1].ToString());
        foreach (var result in results) result.AssertNoSecret(_idp.SystemAccessToken);
    }
}
