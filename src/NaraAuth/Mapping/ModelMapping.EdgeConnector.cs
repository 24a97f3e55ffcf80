using System;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.EdgeConnector.Login;
using NaraAuth.Core.Tokens;
using NaraAuth.Models;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    /// <summary>What Connect-EdgeConnector did: a token saved or kept, or deployment credentials verified.</summary>
    public static EdgeConnectorConnection ToConnection(EdgeConnectorLoginResult result) =>
        result.Deployment != null
            ? ToConnection(result.Deployment, result.CredentialsSavedTo, result.BaseUrl)
            : ToConnection(result.Token!, result.Mode, ModelEnum.From<EdgeConnectorStatus>(result.Status), result.Location!, result.BundlePath, result.BaseUrl);

    /// <summary>A token login (browser or token) that was saved, or a stored one that was kept.</summary>
    private static EdgeConnectorConnection ToConnection(TokenValidationResult result, EdgeConnectorLoginMode mode, EdgeConnectorStatus status, TokenLocation location, string? bundlePath, Uri baseUrl)
    {
        var jwt = result.Jwt;
        return new EdgeConnectorConnection
        {
            Mode = ModelEnum.From<EdgeConnectorMode>(mode),
            Status = status,
            Organization = jwt.Organization,
            OrganizationName = result.OrganizationName,
            Subject = jwt.Subject,
            Email = jwt.Email,
            Role = jwt.Role,
            ExpiresOn = jwt.ExpiresAt?.ToUniversalTime(),
            TokenPath = location.Path,
            BundlePath = bundlePath,
            SignatureVerified = result.SignatureVerified,
            BaseUrl = baseUrl.ToString(),
        };
    }

    /// <summary>Deployment credentials the platform accepted; <paramref name="savedTo"/> when -SaveCredentialsTo wrote them.</summary>
    private static EdgeConnectorConnection ToConnection(DeploymentCredentials credentials, string? savedTo, Uri baseUrl) => new()
    {
        Mode = EdgeConnectorMode.Deployment,
        Status = EdgeConnectorStatus.Verified,
        DeploymentId = credentials.DeploymentId,
        CredentialSource = ModelEnum.From<Models.DeploymentCredentialSource>(credentials.Source),
        CredentialsPath = savedTo ?? credentials.FilePath,
        BaseUrl = baseUrl.ToString(),
    };
}
