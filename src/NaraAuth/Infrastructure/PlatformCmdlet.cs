using System;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Base of the cmdlets that call the nara platform API with a bearer credential: the shared
/// parameters (credential, base URL; proxy and timeout from <see cref="NetworkCmdlet"/>) and one way to resolve them, in the
/// protocol's order: -Token, NARA_TOKEN, the stored Edge Connector token; -BaseUrl,
/// NARA_BASE_URL, config.json, https://app.nara.de.
/// </summary>
public abstract class PlatformCmdlet : NetworkCmdlet
{
    private PlatformClient? _client;

    /// <summary>The credential: a server token or a JWT, as SecureString or string. Wins over NARA_TOKEN and the stored login.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Token { get; set; }

    /// <summary>The platform (else NARA_BASE_URL, else config.json, else https://app.nara.de).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    /// <summary>The Edge Connector installation directory, where the stored token and config.json are looked for.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InstallPath { get; set; }

    /// <summary>Resolves base URL, proxy and credential once per cmdlet call.</summary>
    internal PlatformClient Client => _client ??= SharedSetup(Connect);

    private PlatformClient Connect()
    {
        // The base URL is checked (https, or loopback) before the credential is even read.
        var installPath = ResolveUserPath(InstallPath, nameof(InstallPath));
        var location = TokenLocation.Resolve(Context.Environment, null, installPath, Context.CurrentDirectory);
        var target = PlatformUrl.Choose(BaseUrl, Context.Environment, () => location.Config);
        var baseUrl = target.Url;
        WorkingOn = baseUrl.ToString();
        var explicitToken = MyInvocation.BoundParameters.ContainsKey(nameof(Token)) ? SecretText.FromParameter(Token) ?? string.Empty : null;
        var credential = PlatformCredential.Resolve(explicitToken, installPath, Context, target);
        if (credential.PermissionWarning != null) WriteWarning(credential.PermissionWarning);
        WriteVerbose($"Calling {baseUrl} with the credential from {credential.Description}" +
            (credential.IsServerToken ? " (a server token)." : credential.Jwt != null ? $" (the login of {credential.Jwt.Subject}, role {credential.Jwt.Role ?? "unknown"})." : "."));
        return new PlatformClient(new ApiClient(baseUrl, reporter: Reporter), credential);
    }

    /// <summary>Runs a platform call; retries are reported on the verbose stream.</summary>
    internal T Call<T>(Func<PlatformClient, CancellationToken, Task<T>> work)
    {
        var client = Client;
        return RunAsync(token => work(client, token));
    }
}
