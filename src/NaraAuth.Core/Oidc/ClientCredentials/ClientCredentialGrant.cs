using System;
using System.Text.Json;
using NaraAuth.Core.Json;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>
/// What a client credentials session records about how it was obtained: the method and its
/// non-secret parameters (certificate thumbprint and file, CI system, service connection, audience).
/// Never a secret: the client secret, the certificate's key and every assertion stay out of it, so
/// a new token needs the credential again (docs/decisions/client-credentials.md).
/// </summary>
public sealed class ClientCredentialGrant : IEquatable<ClientCredentialGrant>
{
    public ClientCredentialGrant(ClientCredentialMethod method, string? certificateThumbprint = null, string? certificatePath = null,
        string? ciSystem = null, string? serviceConnectionId = null, string? audience = null)
    {
        Method = method;
        CertificateThumbprint = certificateThumbprint;
        CertificatePath = certificatePath;
        CiSystem = ciSystem;
        ServiceConnectionId = serviceConnectionId;
        Audience = audience;
    }

    public ClientCredentialMethod Method { get; }
    /// <summary>The certificate's SHA-256 thumbprint, base64url (x5t#S256) for <see cref="ClientCredentialMethod.Certificate"/>.</summary>
    public string? CertificateThumbprint { get; }
    public string? CertificatePath { get; }
    /// <summary>AzurePipelines or GitHubActions for <see cref="ClientCredentialMethod.WorkloadIdentity"/>.</summary>
    public string? CiSystem { get; }
    public string? ServiceConnectionId { get; }
    public string? Audience { get; }

    /// <summary>"WorkloadIdentity (AzurePipelines, service connection 1234)": for a verbose line or a listing.</summary>
    public string Description
    {
        get
        {
            var details = Method switch
            {
                ClientCredentialMethod.Certificate => "certificate " + CertificateThumbprint,
                ClientCredentialMethod.WorkloadIdentity => CiSystem + (ServiceConnectionId != null ? ", service connection " + ServiceConnectionId : string.Empty)
                    + (Audience != null ? ", audience " + Audience : string.Empty),
                _ => null,
            };
            return details == null ? Method.ToString() : $"{Method} ({details})";
        }
    }

    internal void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("method", Method.ToString());
        if (CertificateThumbprint != null) w.WriteString("certificate_x5t_s256", CertificateThumbprint);
        if (CertificatePath != null) w.WriteString("certificate_path", CertificatePath);
        if (CiSystem != null) w.WriteString("ci_system", CiSystem);
        if (ServiceConnectionId != null) w.WriteString("service_connection_id", ServiceConnectionId);
        if (Audience != null) w.WriteString("audience", Audience);
        w.WriteEndObject();
    }

    /// <summary>The saved grant, or null when it is not one this version knows (then the session is not reused).</summary>
    internal static ClientCredentialGrant? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        if (!Enum.TryParse<ClientCredentialMethod>(JsonText.StringOf(element, "method"), ignoreCase: false, out var method)) return null;
        return new ClientCredentialGrant(method, JsonText.StringOf(element, "certificate_x5t_s256"), JsonText.StringOf(element, "certificate_path"),
            JsonText.StringOf(element, "ci_system"), JsonText.StringOf(element, "service_connection_id"), JsonText.StringOf(element, "audience"));
    }

    /// <summary>Same method and parameters: a token obtained one way is only reused by a call asking the same way.</summary>
    public bool Equals(ClientCredentialGrant? other) =>
        other != null && Method == other.Method && CertificateThumbprint == other.CertificateThumbprint
        && CiSystem == other.CiSystem && ServiceConnectionId == other.ServiceConnectionId && Audience == other.Audience;

    public override bool Equals(object? obj) => Equals(obj as ClientCredentialGrant);

    public override int GetHashCode() => ((int)Method * 397) ^ (CertificateThumbprint?.GetHashCode() ?? 0) ^ (ServiceConnectionId?.GetHashCode() ?? 0);
}
