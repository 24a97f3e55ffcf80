using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Oidc.ClientCredentials;

namespace NaraAuth.Core.Tests.Oidc;

/// <summary>The client credentials decisions without an engine: the secret's method, the Basic header, the assertion, the request's credential.</summary>
public sealed class ClientCredentialsCoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Basic_is_chosen_unless_discovery_lists_post_without_basic()
    {
        Assert.Equal(ClientSecretMethod.Basic, ClientSecretAuthentication.Choose(null));
        Assert.Equal(ClientSecretMethod.Basic, ClientSecretAuthentication.Choose(Array.Empty<string>()));
        Assert.Equal(ClientSecretMethod.Basic, ClientSecretAuthentication.Choose(new[] { "client_secret_post", "client_secret_basic" }));
        Assert.Equal(ClientSecretMethod.Post, ClientSecretAuthentication.Choose(new[] { "private_key_jwt", "client_secret_post" }));
        // Nothing usable listed: Basic, the one method every provider must accept.
        Assert.Equal(ClientSecretMethod.Basic, ClientSecretAuthentication.Choose(new[] { "private_key_jwt" }));
    }

    [Fact]
    public void The_Basic_header_form_urlencodes_id_and_secret_before_base64()
    {
        var header = ClientSecretAuthentication.BasicHeader("my client", "p:ss%w rd+");
        Assert.StartsWith("Basic ", header);
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(6)));
        Assert.Equal("my+client:p%3Ass%25w+rd%2B", decoded);
    }

    [Fact]
    public void Post_puts_id_and_secret_in_the_form_and_Basic_only_in_the_header()
    {
        var form = new Dictionary<string, string>();
        var headers = new Dictionary<string, string>();
        ClientSecretAuthentication.Apply(ClientSecretMethod.Post, "c", "s3cret", form, headers);
        Assert.Equal("s3cret", form["client_secret"]);
        Assert.Empty(headers);
        form.Clear();
        ClientSecretAuthentication.Apply(ClientSecretMethod.Basic, "c", "s3cret", form, headers);
        Assert.Empty(form);
        Assert.StartsWith("Basic ", headers["Authorization"]);
    }

    private static X509Certificate2 Certificate(bool ec = false)
    {
        if (ec)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return new CertificateRequest("CN=ec-client", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));
        }
        using var rsa = RSA.Create(2048);
        return new CertificateRequest("CN=rsa-client", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(Now.AddDays(-1), Now.AddDays(1));
    }

    [Theory]
    [InlineData(false, "RS256")]
    [InlineData(true, "ES256")]
    public async Task The_assertion_names_the_client_the_token_endpoint_and_the_certificate_and_verifies_with_its_public_key(bool ec, string alg)
    {
        using var certificate = Certificate(ec);
        var endpoint = new Uri("https://idp.example.com/connect/token");
        var jwt = ClientAssertion.Create("pipeline", endpoint.AbsoluteUri, ClientAssertionProfile.TokenEndpoint, certificate, Now);
        var token = new JsonWebToken(jwt);
        Assert.Equal(alg, token.Alg);
        Assert.Equal("JWT", token.Typ);
        Assert.Equal("pipeline", token.Issuer);
        Assert.Equal("pipeline", token.Subject);
        Assert.Equal(new[] { endpoint.AbsoluteUri }, token.Audiences);
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.Equal(Now.UtcDateTime, token.IssuedAt);
        Assert.Equal(Now.Add(ClientAssertion.Lifetime).UtcDateTime, token.ValidTo);
        Assert.True(token.TryGetHeaderValue<string>("x5t#S256", out var thumbprint));
        Assert.Equal(Base64UrlEncoder.Encode(SHA256.HashData(certificate.RawData)), thumbprint);

        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        SecurityKey key = ec ? new ECDsaSecurityKey(publicOnly.GetECDsaPublicKey()!) : new RsaSecurityKey(publicOnly.GetRSAPublicKey()!);
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = "pipeline",
            ValidAudience = endpoint.AbsoluteUri,
            IssuerSigningKey = key,
            LifetimeValidator = (_, _, _, _) => true,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        // Each assertion is new: a captured one cannot be replayed as the next.
        Assert.NotEqual(token.Id, new JsonWebToken(ClientAssertion.Create("pipeline", endpoint.AbsoluteUri, ClientAssertionProfile.TokenEndpoint, certificate, Now)).Id);
    }

    [Fact]
    public void The_strict_profile_addresses_the_issuer_alone_with_the_explicit_type()
    {
        using var certificate = Certificate();
        var token = new JsonWebToken(ClientAssertion.Create("pipeline", "https://idp.example.com/", ClientAssertionProfile.Issuer, certificate, Now));
        Assert.Equal(ClientAssertion.ClientAuthenticationType, token.Typ);
        Assert.Equal(new[] { "https://idp.example.com/" }, token.Audiences);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused_by_name()
    {
        using var certificate = Certificate();
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var e = Assert.Throws<NaraAuthException>(() => ClientAssertion.Create("pipeline", "https://idp.example.com/token", ClientAssertionProfile.TokenEndpoint, publicOnly, Now));
        Assert.Equal("ClientCertificateNoPrivateKey", e.ErrorId);
    }

    [Fact]
    public void Exactly_one_credential_is_taken_and_its_extras_only_with_it()
    {
        Assert.Equal(ClientCredentialMethod.ClientSecret, new ClientCredentialsRequest { ClientSecret = "x" }.Method);
        Assert.Equal(ClientCredentialMethod.WorkloadIdentity, new ClientCredentialsRequest { WorkloadIdentity = true, Audience = "a" }.Method);
        Assert.Equal("ClientCredentialConflict", Assert.Throws<NaraAuthException>(() => new ClientCredentialsRequest { ClientSecret = "x", FederatedToken = "y" }.Method).ErrorId);
        Assert.Equal("ClientCredentialConflict", Assert.Throws<NaraAuthException>(() => new ClientCredentialsRequest { ClientSecret = "x", Audience = "a" }.Method).ErrorId);
        Assert.Equal("ClientCredentialConflict", Assert.Throws<NaraAuthException>(() => new ClientCredentialsRequest { FederatedToken = "y", PersonLoginParameter = "-UseDeviceCode" }.Method).ErrorId);
        Assert.Equal("ClientCredentialMissing", Assert.Throws<NaraAuthException>(() => new ClientCredentialsRequest().Method).ErrorId);
        Assert.Equal(new[] { "api.read", "api.write" }, ClientCredentialsRequest.SplitScopes(new[] { "api.read api.write", "api.read" }));
    }

    [Fact]
    public void The_CI_system_is_found_from_the_job_variables_and_outside_CI_the_error_says_so()
    {
        var environment = new FakeEnvironment();
        Assert.Equal("WorkloadIdentityNotInCi", Assert.Throws<NaraAuthException>(() => new CiJobToken(environment).DetectSystem()).ErrorId);
        environment.Set("ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.actions.example/x?y=1");
        Assert.Equal(CiJobToken.GitHubActions, new CiJobToken(environment).DetectSystem());
        environment.Set("TF_BUILD", "True");
        Assert.Equal(CiJobToken.AzurePipelines, new CiJobToken(environment).DetectSystem());
    }

    [Fact]
    public void The_saved_grant_holds_no_secret_and_matches_only_the_same_way_of_asking()
    {
        var azure = new ClientCredentialGrant(ClientCredentialMethod.WorkloadIdentity, ciSystem: CiJobToken.AzurePipelines, serviceConnectionId: "sc-1");
        Assert.Equal(azure, new ClientCredentialGrant(ClientCredentialMethod.WorkloadIdentity, ciSystem: CiJobToken.AzurePipelines, serviceConnectionId: "sc-1"));
        Assert.NotEqual(azure, new ClientCredentialGrant(ClientCredentialMethod.WorkloadIdentity, ciSystem: CiJobToken.AzurePipelines, serviceConnectionId: "sc-2"));
        Assert.NotEqual(new ClientCredentialGrant(ClientCredentialMethod.ClientSecret), new ClientCredentialGrant(ClientCredentialMethod.FederatedToken));
        Assert.Equal("WorkloadIdentity (AzurePipelines, service connection sc-1)", azure.Description);
    }
}
