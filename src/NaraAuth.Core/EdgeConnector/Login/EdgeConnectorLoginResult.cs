using System;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.EdgeConnector.Login;

/// <summary>What one Connect-EdgeConnector call did: a token saved or kept, or deployment credentials verified.</summary>
public sealed class EdgeConnectorLoginResult
{
    internal EdgeConnectorLoginResult(EdgeConnectorLoginMode mode, EdgeConnectorLoginStatus status, Uri baseUrl)
    {
        Mode = mode;
        Status = status;
        BaseUrl = baseUrl;
    }

    public EdgeConnectorLoginMode Mode { get; }
    public EdgeConnectorLoginStatus Status { get; }
    public Uri BaseUrl { get; }

    /// <summary>Token logins: the validated token, and where it lives.</summary>
    public TokenValidationResult? Token { get; internal set; }
    public TokenLocation? Location { get; internal set; }
    /// <summary>The default bundle beside the token, when it exists.</summary>
    public string? BundlePath { get; internal set; }
    /// <summary>The bundle could not be synced; the login itself succeeded and was kept.</summary>
    public NaraAuthException? BundleError { get; internal set; }

    /// <summary>Deployment logins: the verified credentials, and where -SaveCredentialsTo wrote them.</summary>
    public DeploymentCredentials? Deployment { get; internal set; }
    public string? CredentialsSavedTo { get; internal set; }
}
