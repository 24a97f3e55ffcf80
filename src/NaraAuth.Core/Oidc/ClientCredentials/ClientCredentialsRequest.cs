using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>
/// What a client credentials login was given: exactly one credential (a secret, a certificate or
/// its file, a federated token, or -WorkloadIdentity) and the scopes. Secrets arrive as plain
/// strings only here, already out of their SecureStrings, and never leave Core.
/// </summary>
public sealed class ClientCredentialsRequest
{
    public string? ClientSecret { get; set; }
    public X509Certificate2? Certificate { get; set; }
    /// <summary>A PFX or PEM file, already resolved as PowerShell resolves paths.</summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
    public string? FederatedToken { get; set; }
    public bool WorkloadIdentity { get; set; }
    public string? ServiceConnectionId { get; set; }
    public string? Audience { get; set; }
    /// <summary>What to ask for; none means the provider's default for the client (no openid: there is no person).</summary>
    public IReadOnlyList<string> Scopes { get; set; } = Array.Empty<string>();

    /// <summary>A switch of a person's login that was given too (-UseDeviceCode, -UseBrowser, -NoBrowser): refused, there is no person.</summary>
    public string? PersonLoginParameter { get; set; }

    public ClientCredentialMethod Method
    {
        get
        {
            var given = Given().ToList();
            if (given.Count > 1)
            {
                throw new NaraAuthException("ClientCredentialConflict", NaraErrorCategory.InvalidArgument,
                    $"{string.Join(" and ", given.Select(g => g.Parameter))} are two ways to prove the client; pass one.",
                    "Choose one credential: -ClientSecret, -ClientCertificate / -ClientCertificatePath, -FederatedToken or -WorkloadIdentity.", given[1].Parameter);
            }
            if (given.Count == 0)
            {
                throw new NaraAuthException("ClientCredentialMissing", NaraErrorCategory.InvalidArgument,
                    "No client credential was given.", "Pass -ClientSecret, -ClientCertificate, -ClientCertificatePath, -FederatedToken or -WorkloadIdentity.", "-ClientSecret");
            }
            if (PersonLoginParameter != null)
            {
                throw new NaraAuthException("ClientCredentialConflict", NaraErrorCategory.InvalidArgument,
                    $"{PersonLoginParameter} is for a person's login; {given[0].Parameter} logs in as the client itself, with no person.",
                    $"Remove {PersonLoginParameter}.", PersonLoginParameter);
            }
            if (given[0].Method != ClientCredentialMethod.WorkloadIdentity && (ServiceConnectionId != null || Audience != null))
            {
                throw new NaraAuthException("ClientCredentialConflict", NaraErrorCategory.InvalidArgument,
                    $"{(ServiceConnectionId != null ? "-ServiceConnectionId" : "-Audience")} only applies to -WorkloadIdentity.",
                    "Remove it, or use -WorkloadIdentity.", ServiceConnectionId != null ? "-ServiceConnectionId" : "-Audience");
            }
            if (CertificatePassword != null && CertificatePath == null)
            {
                throw new NaraAuthException("ClientCredentialConflict", NaraErrorCategory.InvalidArgument,
                    "-ClientCertificatePassword only applies to -ClientCertificatePath.", "Pass the PFX file with -ClientCertificatePath.", "-ClientCertificatePassword");
            }
            return given[0].Method;
        }
    }

    /// <summary>Each credential given, with the parameter that gave it (a certificate and its file count as two).</summary>
    private IEnumerable<(ClientCredentialMethod Method, string Parameter)> Given()
    {
        if (ClientSecret != null) yield return (ClientCredentialMethod.ClientSecret, "-ClientSecret");
        if (Certificate != null) yield return (ClientCredentialMethod.Certificate, "-ClientCertificate");
        if (CertificatePath != null) yield return (ClientCredentialMethod.Certificate, "-ClientCertificatePath");
        if (FederatedToken != null) yield return (ClientCredentialMethod.FederatedToken, "-FederatedToken");
        if (WorkloadIdentity) yield return (ClientCredentialMethod.WorkloadIdentity, "-WorkloadIdentity");
    }

    /// <summary>Scopes as given (space or comma separated), in order, once each.</summary>
    public static IReadOnlyList<string> SplitScopes(IEnumerable<string>? scopes) =>
        (scopes ?? Array.Empty<string>()).SelectMany(s => s.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();
}
