using System.Management.Automation;
using NaraAuth.Core.EdgePlane;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Base of the cmdlets that call EdgePlane with a bearer credential: -Token (a service-account
/// token, an OIDC access token or a session token), else EP_TOKEN, else the saved CLI-login
/// session, resolved once by Core (<see cref="EdgePlaneCredential"/>); proxy and timeout come
/// from <see cref="NetworkCmdlet"/>. Each cmdlet declares its own -BaseUrl, since its position differs.
/// </summary>
public abstract class EdgePlaneCmdlet : NetworkCmdlet
{
    private EdgePlaneApi? _api;

    /// <summary>The credential, as SecureString or string: a service-account token, an OIDC access token or a session token. Wins over EP_TOKEN and the saved session.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Token { get; set; }

    /// <summary>The -BaseUrl argument of the cmdlet.</summary>
    protected abstract string? BaseUrlArgument { get; }

    /// <summary>Resolves credential and base URL once per cmdlet call.</summary>
    internal EdgePlaneApi Api => _api ??= SharedSetup(Connect);

    private EdgePlaneApi Connect()
    {
        var explicitToken = MyInvocation.BoundParameters.ContainsKey(nameof(Token)) ? SecretText.FromParameter(Token) ?? string.Empty : null;
        var credential = EdgePlaneCredential.Resolve(explicitToken, BaseUrlArgument, Context);
        WorkingOn = credential.Source == EdgePlaneCredentialSource.SessionFile ? credential.SessionPath : EdgePlaneUrl.ToStored(credential.BaseUrl);
        if (credential.PermissionWarning != null) WriteWarning(credential.PermissionWarning);
        WriteVerbose($"Calling EdgePlane at {EdgePlaneUrl.ToStored(credential.BaseUrl)} with {credential.Summary}.");
        return new EdgePlaneApi(credential, Reporter);
    }
}
