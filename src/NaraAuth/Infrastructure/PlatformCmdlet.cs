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
/// parameters (credential, base URL, proxy, timeout) and one way to resolve them, in the
/// protocol's order: -Token, NARA_TOKEN, the stored Edge Connector token; -BaseUrl,
/// NARA_BASE_URL, config.json, https://app.nara.de.
/// </summary>
public abstract class PlatformCmdlet : NaraCmdlet
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

    /// <summary>An explicit proxy; without it the system proxy is used (HTTPS_PROXY/NO_PROXY on PowerShell 7).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>The account for -Proxy.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>How long one attempt may take, in seconds (default 100).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    /// <summary>Resolves base URL, proxy and credential once per cmdlet call.</summary>
    internal PlatformClient Client => _client ??= SharedSetup(Connect);

    private PlatformClient Connect()
    {
        // The base URL is checked (https, or loopback) before the credential is even read.
        var location = TokenLocation.Resolve(Context.Environment, null, InstallPath, Context.CurrentDirectory);
        var baseUrl = PlatformUrl.Resolve(BaseUrl, Context.Environment, location.Config);
        WorkingOn = baseUrl.ToString();
        var http = SharedHttpClient.Get(ProxySettingsFromParameters());
        var explicitToken = MyInvocation.BoundParameters.ContainsKey(nameof(Token)) ? SecretText.FromParameter(Token) ?? string.Empty : null;
        var credential = PlatformCredential.Resolve(explicitToken, InstallPath, Context);
        if (credential.PermissionWarning != null) WriteWarning(credential.PermissionWarning);
        WriteVerbose($"Calling {baseUrl} with the credential from {credential.Description}" +
            (credential.IsServerToken ? " (a server token)." : credential.Jwt != null ? $" (the login of {credential.Jwt.Subject}, role {credential.Jwt.Role ?? "unknown"})." : "."));
        var client = new PlatformClient(new ApiClient(baseUrl, http), credential);
        if (TimeoutSec > 0) client.Timeout = TimeSpan.FromSeconds(TimeoutSec);
        return client;
    }

    private ProxySettings? ProxySettingsFromParameters()
    {
        if (Proxy == null)
        {
            if (ProxyCredential != null)
            {
                throw new NaraAuthException("ProxyCredentialWithoutProxy", NaraErrorCategory.InvalidArgument,
                    "-ProxyCredential needs -Proxy, the address of the proxy it is for.",
                    "Add -Proxy http://proxy.example.com:8080, or drop -ProxyCredential to use the system proxy.");
            }
            return null;
        }
        if (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps))
        {
            throw new NaraAuthException("InvalidProxy", NaraErrorCategory.InvalidArgument,
                $"'{Proxy}' (-Proxy) is not an absolute http(s) URL.", "Give the proxy as http://host:port.", Proxy.ToString());
        }
        return new ProxySettings(Proxy, ProxyCredential?.GetNetworkCredential());
    }

    /// <summary>Runs a platform call; retries are reported on the verbose stream.</summary>
    internal T Call<T>(Func<PlatformClient, CancellationToken, Task<T>> work)
    {
        var client = Client;
        return RunAsync((pump, token) =>
        {
            void OnRetry(int attempt, TimeSpan wait, string why) =>
                pump.Post(() => WriteVerbose(RetryNotice.Text(attempt, wait, why)));
            client.Api.Retrying += OnRetry;
            return RunAndUnhook(work(client, token), () => client.Api.Retrying -= OnRetry);
        });
    }

    private static async Task<T> RunAndUnhook<T>(Task<T> task, Action unhook)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            unhook();
        }
    }
}
