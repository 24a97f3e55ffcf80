using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using NaraAuth.Core.Oidc.ClientCredentials;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;

namespace NaraAuth.Commands;

/// <summary>
/// Invoke-OidcCliLogin -Authority/-ClientId with a client credential: the client credentials grant
/// for a pipeline or service with no person (a secret, a certificate, a federated token or the CI
/// job's own ID token). Core decides and does everything; this binds and writes.
/// </summary>
public sealed partial class InvokeOidcCliLoginCommand
{
    /// <summary>The client secret, sent with HTTP Basic (or client_secret_post when the provider supports only that). Never saved.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNull]
    public SecureString? ClientSecret { get; set; }

    /// <summary>A certificate with its private key: signs a client assertion (private_key_jwt).</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNull]
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>A PFX or PEM file with the client certificate and its private key.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNullOrEmpty]
    public string? ClientCertificatePath { get; set; }

    /// <summary>The password of the PFX named by -ClientCertificatePath.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNull]
    public SecureString? ClientCertificatePassword { get; set; }

    /// <summary>A JWT you already have (from another identity system), sent as the client assertion.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNull]
    public SecureString? FederatedToken { get; set; }

    /// <summary>Use the Azure Pipelines or GitHub Actions job's own ID token as the client assertion (no stored secret).</summary>
    [Parameter(ParameterSetName = DirectSet)]
    public SwitchParameter WorkloadIdentity { get; set; }

    /// <summary>Azure Pipelines: the service connection (workload identity federation) the job's ID token is issued for.</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNullOrEmpty]
    public string? ServiceConnectionId { get; set; }

    /// <summary>GitHub Actions: the audience of the job's ID token (default api://AzureADTokenExchange).</summary>
    [Parameter(ParameterSetName = DirectSet)]
    [ValidateNotNullOrEmpty]
    public string? Audience { get; set; }

    private bool UsesClientCredentials =>
        ClientSecret != null || ClientCertificate != null || ClientCertificatePath != null || FederatedToken != null || WorkloadIdentity
        || ServiceConnectionId != null || Audience != null || ClientCertificatePassword != null;

    private void LoginWithClientCredentials()
    {
        var request = new ClientCredentialsRequest
        {
            ClientSecret = ClientSecret == null ? null : SecretText.ToPlainText(ClientSecret),
            Certificate = ClientCertificate,
            CertificatePath = ResolveUserPath(ClientCertificatePath, "-ClientCertificatePath"),
            CertificatePassword = ClientCertificatePassword == null ? null : SecretText.ToPlainText(ClientCertificatePassword),
            FederatedToken = FederatedToken == null ? null : SecretText.ToPlainText(FederatedToken),
            WorkloadIdentity = WorkloadIdentity,
            ServiceConnectionId = ServiceConnectionId,
            Audience = Audience,
            Scopes = ClientCredentialsRequest.SplitScopes(Scopes),
            PersonLoginParameter = UseDeviceCode ? "-UseDeviceCode" : UseBrowser ? "-UseBrowser" : NoBrowser ? "-NoBrowser" : null,
        };
        var login = new ClientCredentialsLogin(Context, Authority, ClientId, request, Reporter)
        {
            MinimumValidity = MinimumValidity ?? Core.Oidc.OidcLogin.ReuseMargin,
        };
        WorkingOn = login.Authority.ToString();
        if (!ShouldProcess(login.Path, login.Action)) return;
        var result = RunAsync(token => login.LoginAsync(Force, token));
        var session = result.Session;
        if (AsPlainText && session.Tokens.AccessToken != null) MaskSecretForCi(session.Tokens.AccessToken);
        WriteObject(ModelMapping.ToInfo(result, AsPlainText));
    }
}
