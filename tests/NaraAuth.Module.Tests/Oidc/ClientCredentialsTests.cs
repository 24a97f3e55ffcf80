using System.Management.Automation;
using System.Security;
using NaraAuth.TestSupport.Harness;
using NaraAuth.OidcTestProvider;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>
/// Invoke-OidcCliLogin with a client credential (client credentials grant, no person) through the
/// engine against OpenIddict: a secret (HTTP Basic, and client_secret_post only when discovery
/// lacks Basic), a certificate (private_key_jwt), a federated token and the CI job's own ID token,
/// with the errors that name what is missing, hostile CI token endpoints, and secret scans.
/// </summary>
public sealed class ClientCredentialsTests : IClassFixture<ClientCredentialsProviderFixture>
{
    private readonly ClientCredentialsProvider _idp;

    public ClientCredentialsTests(ClientCredentialsProviderFixture fixture)
    {
        _idp = fixture.Provider;
        _idp.OnlyClientSecretPost = false;
        _idp.AccessTokenLifetime = TimeSpan.FromHours(1);
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        return secure;
    }

    private PsResult SecretLogin(PsSession session, string secret, string extra = "") =>
        session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -ClientSecret $args[2] -Scopes api.read " + extra,
            _idp.Issuer, ClientCredentialsProvider.SecretClientId, Secure(secret));

    private static string SessionFileText(PsSession session) =>
        string.Concat(Directory.GetFiles(Path.Combine(session.Home, ".config", "naraauth", "oidc"), "*.json").Select(File.ReadAllText));

    private void InAzurePipelines(PsSession session, string? requestUri = null)
    {
        session.SetEnv("TF_BUILD", "True");
        session.SetEnv("GITHUB_ACTIONS", null);
        session.SetEnv("SYSTEM_OIDCREQUESTURI", requestUri ?? _idp.AzureRequestUri);
        session.SetEnv("SYSTEM_ACCESSTOKEN", _idp.SystemAccessToken);
    }

    private PsResult AzureLogin(PsSession session) =>
        session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -WorkloadIdentity -ServiceConnectionId $args[2]",
            _idp.Issuer, ClientCredentialsProvider.FederatedClientId, ClientCredentialsProvider.ServiceConnectionId);

    [Fact]
    public void A_client_secret_goes_with_HTTP_Basic_and_is_nowhere_in_the_streams_nor_the_session_file()
    {
        using var session = new PsSession();
        var result = SecretLogin(session, _idp.ClientSecret);
        dynamic info = result.Single<object>();
        Assert.Equal("ClientCredentials", info.Source.ToString());
        Assert.Equal("ClientSecret", (string)info.ClientCredential);
        Assert.Null(info.IdToken);
        Assert.IsType<SecureString>((object)info.AccessToken);
        Assert.Equal("basic", _idp.LastSecretMethod);
        result.AssertNoSecret(_idp.ClientSecret);
        Assert.DoesNotContain(_idp.ClientSecret, SessionFileText(session));
        Assert.Contains("\"method\": \"ClientSecret\"", SessionFileText(session));
    }

    [Fact]
    public void A_provider_whose_discovery_lists_no_Basic_gets_the_secret_in_the_form()
    {
        using var session = new PsSession();
        _idp.OnlyClientSecretPost = true;
        var result = SecretLogin(session, _idp.ClientSecret);
        result.Single<object>();
        Assert.Equal("post", _idp.LastSecretMethod);
        result.AssertNoSecret(_idp.ClientSecret);
    }

    [Fact]
    public void A_wrong_secret_is_refused_with_the_providers_reason_and_no_secret_in_the_error()
    {
        using var session = new PsSession();
        const string wrong = "wrong-secret-4f1b9c";
        var result = SecretLogin(session, wrong);
        var error = result.AssertError("OidcClientCredentialsRefused", ErrorCategory.AuthenticationError);
        Assert.Contains("invalid_client", error.Exception.Message);
        result.AssertNoSecret(wrong);
        Assert.False(Directory.Exists(Path.Combine(session.Home, ".config", "naraauth", "oidc")) && Directory.GetFiles(Path.Combine(session.Home, ".config", "naraauth", "oidc")).Length > 0);
    }

    [Fact]
    public void A_saved_token_is_reused_while_valid_and_renewed_the_same_way_within_the_margin()
    {
        using var session = new PsSession();
        _idp.AccessTokenLifetime = TimeSpan.FromMinutes(3);
        SecretLogin(session, _idp.ClientSecret).Single<object>();
        var before = _idp.TokenRequests;
        dynamic reused = SecretLogin(session, _idp.ClientSecret, "-MinimumValidity 00:01:00").Single<object>();
        Assert.Equal("Saved", reused.Source.ToString());
        Assert.Equal(before, _idp.TokenRequests);
        var renewed = SecretLogin(session, _idp.ClientSecret);
        Assert.Equal("ClientCredentials", ((dynamic)renewed.Single<object>()).Source.ToString());
        Assert.Contains(renewed.Verbose, v => v.Message.Contains("within the 5 min margin", StringComparison.Ordinal));
        Assert.Equal(before + 1, _idp.TokenRequests);
    }

    [Fact]
    public void A_certificate_signs_a_private_key_jwt_assertion_and_a_pfx_with_the_wrong_password_is_named()
    {
        using var session = new PsSession();
        dynamic info = session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -ClientCertificate $args[2] -Scopes api.read",
            _idp.Issuer, ClientCredentialsProvider.CertificateClientId, _idp.ClientCertificate).Single<object>();
        Assert.StartsWith("Certificate (certificate ", (string)info.ClientCredential);

        var pfx = Path.Combine(session.WorkDir, "client.pfx");
        File.WriteAllBytes(pfx, _idp.ExportPfx());
        var wrong = session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -ClientCertificatePath ./client.pfx -ClientCertificatePassword $args[2] -Force",
            _idp.Issuer, ClientCredentialsProvider.CertificateClientId, Secure("not-the-password"));
        wrong.AssertError("ClientCertificatePasswordWrong", ErrorCategory.InvalidData);
        wrong.AssertNoSecret("not-the-password");
        var right = session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -ClientCertificatePath ./client.pfx -ClientCertificatePassword $args[2] -Scopes api.read -Force",
            _idp.Issuer, ClientCredentialsProvider.CertificateClientId, Secure(ClientCredentialsProvider.CertificatePassword));
        Assert.Equal("ClientCredentials", ((dynamic)right.Single<object>()).Source.ToString());
    }

    [Fact]
    public void A_federated_token_is_sent_as_the_client_assertion_and_never_shown()
    {
        using var session = new PsSession();
        var token = _idp.MintJobToken(_idp.Issuer);
        var result = session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId $args[1] -FederatedToken $args[2] -Scopes api.read",
            _idp.Issuer, ClientCredentialsProvider.FederatedClientId, Secure(token));
        Assert.Equal("FederatedToken", (string)((dynamic)result.Single<object>()).ClientCredential);
        result.AssertNoSecret(token);
        Assert.DoesNotContain(token, SessionFileText(session));
    }

    [Fact]
    public void Azure_Pipelines_workload_identity_asks_the_job_for_its_token_and_keeps_SYSTEM_ACCESSTOKEN_secret()
    {
        using var session = new PsSession();
        InAzurePipelines(session);
        var result = AzureLogin(session);
        Assert.StartsWith("WorkloadIdentity (AzurePipelines", (string)((dynamic)result.Single<object>()).ClientCredential);
        result.AssertNoSecret(_idp.SystemAccessToken);
        Assert.DoesNotContain(_idp.SystemAccessToken, SessionFileText(session));
    }

    [Fact]
    public void Missing_pipeline_settings_are_named()
    {
        using var session = new PsSession();
        session.SetEnv("TF_BUILD", null);
        session.SetEnv("GITHUB_ACTIONS", null);
        session.SetEnv("SYSTEM_OIDCREQUESTURI", null);
        session.SetEnv("ACTIONS_ID_TOKEN_REQUEST_URL", null);
        AzureLogin(session).AssertError("WorkloadIdentityNotInCi", ErrorCategory.InvalidOperation);

        InAzurePipelines(session);
        session.SetEnv("SYSTEM_ACCESSTOKEN", null);
        var noToken = AzureLogin(session).AssertError("SystemAccessTokenMissing", ErrorCategory.InvalidOperation);
        Assert.Contains("$(System.AccessToken)", noToken.ErrorDetails?.RecommendedAction ?? noToken.Exception.Message);
        session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId x -WorkloadIdentity", _idp.Issuer).AssertError("ServiceConnectionIdMissing", ErrorCategory.InvalidArgument);

        session.SetEnv("TF_BUILD", null);
        session.SetEnv("SYSTEM_OIDCREQUESTURI", null);
        session.SetEnv("GITHUB_ACTIONS", "true");
        session.SetEnv("ACTIONS_ID_TOKEN_REQUEST_URL", _idp.GitHubRequestUrl);
        session.SetEnv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", null);
        var github = session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId x -WorkloadIdentity", _idp.Issuer).AssertError("GitHubIdTokenRequestTokenMissing");
        Assert.Contains("id-token: write", github.ErrorDetails?.RecommendedAction ?? github.Exception.Message);
    }

    [Fact]
    public void Two_credentials_or_a_person_login_switch_are_refused_before_anything_is_sent()
    {
        using var session = new PsSession();
        var before = _idp.TokenRequests;
        session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId x -ClientSecret $args[1] -WorkloadIdentity", _idp.Issuer, Secure("abcdefgh"))
            .AssertError("ClientCredentialConflict", ErrorCategory.InvalidArgument);
        session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId x -ClientSecret $args[1] -UseDeviceCode", _idp.Issuer, Secure("abcdefgh"))
            .AssertError("ClientCredentialConflict", ErrorCategory.InvalidArgument);
        session.Run("Invoke-OidcCliLogin -Authority $args[0] -ClientId x -ClientSecret $args[1] -ServiceConnectionId abc", _idp.Issuer, Secure("abcdefgh"))
            .AssertError("ClientCredentialConflict", ErrorCategory.InvalidArgument);
        Assert.Equal(before, _idp.TokenRequests);
    }

    [Theory]
    [InlineData("redirect", "RedirectRefused")]
    [InlineData("huge", "ResponseTooLarge")]
    [InlineData("notjson", "MalformedServerResponse")]
    [InlineData("echo", "CiIdTokenRequestFailed")]
    public void A_hostile_CI_token_endpoint_ends_the_login_with_its_own_error_and_no_secret_shown(string behaviour, string errorId)
    {
        using var session = new PsSession();
        InAzurePipelines(session, _idp.Issuer + "_ci/hostile/" + behaviour);
        var before = _idp.TokenRequests;
        var result = AzureLogin(session);
        result.AssertError(errorId);
        result.AssertNoSecret(_idp.SystemAccessToken);
        Assert.Equal(before, _idp.TokenRequests);
    }

    [Fact]
    public void A_CI_token_url_over_http_to_another_host_is_refused_before_the_bearer_is_sent()
    {
        using var session = new PsSession();
        InAzurePipelines(session, "http://ci.example.com/oidctoken");
        var result = AzureLogin(session);
        result.AssertError("InsecureBaseUrl", ErrorCategory.SecurityError);
        result.AssertNoSecret(_idp.SystemAccessToken);
    }
}
