using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Oidc.ClientCredentials;

/// <summary>
/// The CI job's own OpenID Connect ID token, for workload identity federation. Azure Pipelines:
/// POST SYSTEM_OIDCREQUESTURI?api-version=7.1&amp;serviceConnectionId=... with the job's
/// SYSTEM_ACCESSTOKEN as bearer, answer {"oidcToken": ...}. GitHub Actions: GET
/// ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=... with ACTIONS_ID_TOKEN_REQUEST_TOKEN as bearer,
/// answer {"value": ...}. The request goes only to the URL the CI system gave (https, or
/// loopback), through the one HTTP path: no redirect followed, the call's request timeout, 64 KiB. The request token
/// and the ID token are secrets: masked in anything the CI service says back.
/// </summary>
public sealed class CiJobToken
{
    public const string AzurePipelines = "AzurePipelines";
    public const string GitHubActions = "GitHubActions";
    /// <summary>What GitHub's own Azure login asks for; Entra ID federated credentials expect it.</summary>
    public const string DefaultGitHubAudience = "api://AzureADTokenExchange";
    public const string AzureApiVersion = "7.1";
    public const long MaxAnswerBytes = 64 * 1024;

    private readonly IEnvironment _environment;
    private readonly IReporter _reporter;

    public CiJobToken(IEnvironment environment, IReporter? reporter = null)
    {
        _environment = environment;
        _reporter = reporter ?? Reporter.None;
    }

    /// <summary>
    /// Which CI system this job runs in: TF_BUILD or GITHUB_ACTIONS first, else the token
    /// request variable that is present; a clear error outside both.
    /// </summary>
    public string DetectSystem()
    {
        if (_environment.GetVariable(EnvironmentVariables.AzurePipelines) != null) return AzurePipelines;
        if (_environment.GetVariable(EnvironmentVariables.GitHubActions) != null) return GitHubActions;
        if (_environment.GetVariable(EnvironmentVariables.AzurePipelinesOidcRequestUri) != null) return AzurePipelines;
        if (_environment.GetVariable(EnvironmentVariables.GitHubIdTokenRequestUrl) != null) return GitHubActions;
        throw new NaraAuthException("WorkloadIdentityNotInCi", NaraErrorCategory.InvalidOperation,
            $"-WorkloadIdentity uses the ID token of an Azure Pipelines or GitHub Actions job, but this is neither (no {EnvironmentVariables.AzurePipelines}, {EnvironmentVariables.GitHubActions}, {EnvironmentVariables.AzurePipelinesOidcRequestUri} or {EnvironmentVariables.GitHubIdTokenRequestUrl}).",
            "Run it in a pipeline job, or pass a token you already have with -FederatedToken, or use -ClientSecret / -ClientCertificate.", "-WorkloadIdentity");
    }

    public async Task<string> FetchAsync(string system, string? serviceConnectionId, string? audience, CancellationToken cancellationToken) =>
        system == AzurePipelines
            ? await FromAzurePipelinesAsync(serviceConnectionId, cancellationToken).ConfigureAwait(false)
            : await FromGitHubActionsAsync(audience ?? DefaultGitHubAudience, cancellationToken).ConfigureAwait(false);

    private async Task<string> FromAzurePipelinesAsync(string? serviceConnectionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(serviceConnectionId))
        {
            throw new NaraAuthException("ServiceConnectionIdMissing", NaraErrorCategory.InvalidArgument,
                "In Azure Pipelines, -WorkloadIdentity needs -ServiceConnectionId: the job's ID token is issued for one service connection.",
                "Pass the id of the service connection (workload identity federation) whose subject the provider trusts.", "-ServiceConnectionId");
        }
        var url = RequestUrl(EnvironmentVariables.AzurePipelinesOidcRequestUri,
            "Azure Pipelines sets it in every job on current agents; run on a current agent (or check that the variable is not cleared by the step).");
        var bearer = _environment.GetVariable(EnvironmentVariables.AzurePipelinesAccessToken) ?? throw new NaraAuthException("SystemAccessTokenMissing", NaraErrorCategory.InvalidOperation,
            $"{EnvironmentVariables.AzurePipelinesAccessToken} is not set in this step, so the job's ID token cannot be requested.",
            $"Map it into the step's environment: env: {{ {EnvironmentVariables.AzurePipelinesAccessToken}: $(System.AccessToken) }} (Azure Pipelines does not expose it to scripts by itself).",
            EnvironmentVariables.AzurePipelinesAccessToken);
        var query = "api-version=" + AzureApiVersion + "&serviceConnectionId=" + Uri.EscapeDataString(serviceConnectionId!.Trim());
        var answer = await SendAsync(HttpMethod.Post, Append(url, query), bearer, "{}", "Azure Pipelines", cancellationToken).ConfigureAwait(false);
        return TokenOf(answer, "oidcToken", "Azure Pipelines");
    }

    private async Task<string> FromGitHubActionsAsync(string audience, CancellationToken cancellationToken)
    {
        const string permission = "Give the job the permission: permissions: { id-token: write } (for a pull request from a fork GitHub never grants it).";
        var url = RequestUrl(EnvironmentVariables.GitHubIdTokenRequestUrl, permission);
        var bearer = _environment.GetVariable(EnvironmentVariables.GitHubIdTokenRequestToken) ?? throw new NaraAuthException("GitHubIdTokenRequestTokenMissing", NaraErrorCategory.InvalidOperation,
            $"{EnvironmentVariables.GitHubIdTokenRequestToken} is not set in this job, so its ID token cannot be requested.", permission,
            EnvironmentVariables.GitHubIdTokenRequestToken);
        var answer = await SendAsync(HttpMethod.Get, Append(url, "audience=" + Uri.EscapeDataString(audience)), bearer, null, "GitHub Actions", cancellationToken).ConfigureAwait(false);
        return TokenOf(answer, "value", "GitHub Actions");
    }

    /// <summary>The URL the CI system gave, held to the base URL rule (https, or loopback) before any credential goes to it.</summary>
    private Uri RequestUrl(string variable, string howToGetIt)
    {
        var text = _environment.GetVariable(variable) ?? throw new NaraAuthException(variable == EnvironmentVariables.GitHubIdTokenRequestUrl ? "GitHubIdTokenRequestUrlMissing" : "SystemOidcRequestUriMissing",
            NaraErrorCategory.InvalidOperation, $"{variable} is not set in this job, so its ID token cannot be requested.", howToGetIt, variable);
        BaseUrlPolicy.Parse(text, variable);
        var uri = new Uri(text.Trim());
        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            throw new NaraAuthException("InvalidBaseUrl", NaraErrorCategory.InvalidArgument,
                $"{variable} has a fragment (#...), which no CI token endpoint has.", "Check the job's environment.", variable);
        }
        return uri;
    }

    private static Uri Append(Uri url, string query) =>
        new(url.GetLeftPart(UriPartial.Path) + (string.IsNullOrEmpty(url.Query) || url.Query == "?" ? "?" + query : url.Query + "&" + query));

    private async Task<ApiResponse> SendAsync(HttpMethod method, Uri url, string bearer, string? json, string system, CancellationToken cancellationToken)
    {
        _reporter.Verbose($"Asking {system} for the job's ID token at {SafeUri.WithoutQuery(url)}.");
        var origin = new Uri(SafeUri.Origin(url) + "/");
        var request = new ApiRequest(method, url.PathAndQuery)
        {
            Bearer = bearer,
            JsonBody = json,
            MaxResponseBytes = MaxAnswerBytes,
        };
        var retry = new RetryOptions { MaxRetries = method == HttpMethod.Get ? 2 : 0 };
        var response = await new ApiClient(origin, retry: retry, reporter: _reporter).SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            var reason = response.ServerReason ?? response.Quote(response.Body);
            throw new NaraAuthException("CiIdTokenRequestFailed", NaraErrorCategory.AuthenticationError,
                $"{system} refused the job's ID token request (HTTP {response.StatusCode}){(string.IsNullOrEmpty(reason) ? "." : ": " + reason)}",
                system == AzurePipelines
                    ? $"Check -ServiceConnectionId (a workload identity federation service connection this pipeline may use) and that {EnvironmentVariables.AzurePipelinesAccessToken} is $(System.AccessToken)."
                    : "Check the job's permissions (id-token: write) and -Audience.",
                SafeUri.WithoutQuery(url)) { IsTransient = response.StatusCode >= 500 };
        }
        return response;
    }

    private static string TokenOf(ApiResponse response, string field, string system)
    {
        string? token;
        using (var document = response.Json())
            token = document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object ? JsonText.StringOf(document.RootElement, field) : null;
        if (string.IsNullOrEmpty(token) || token!.Split('.').Length != 3)
        {
            throw new NaraAuthException("CiIdTokenMalformed", NaraErrorCategory.ProtocolError,
                $"{system}'s answer to the ID token request has no JWT in '{field}'.",
                "Check that the variable points to the CI system's token endpoint.", SafeUri.WithoutQuery(response.RequestUri));
        }
        KnownSecrets.Remember(token);
        return token;
    }
}
