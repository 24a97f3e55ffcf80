using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Platform;

/// <summary>
/// Authenticated calls to the nara platform API: server tokens (docs/protocol.md 1.6), functional
/// agents (1.7) and arbitrary paths. Retries come from <see cref="ApiClient"/>: idempotent
/// methods retry, a POST is sent once unless the caller explicitly allows a retry.
/// </summary>
public sealed class PlatformClient
{
    private static readonly HttpMethod Delete = HttpMethod.Delete;

    public PlatformClient(ApiClient api, PlatformCredential credential)
    {
        Api = api;
        Credential = credential;
    }

    public ApiClient Api { get; }
    public PlatformCredential Credential { get; }

    /// <summary>Sends one call and returns the successful response; failures become errors quoting the server's reason.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? jsonBody, bool retryUnsafe, string action, CancellationToken cancellationToken)
    {
        var response = await RestCall.SendAsync(Api, Credential.Value, method, path, jsonBody, retryUnsafe, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess) return response;
        throw Explain(response.ToException(action), response.StatusCode);
    }

    public async Task<IReadOnlyList<ServerTokenRecord>> ListServerTokensAsync(CancellationToken cancellationToken)
    {
        var response = await ManageTokensAsync(HttpMethod.Get, "api/tokens", null, false, "list server tokens", cancellationToken).ConfigureAwait(false);
        using var json = response.Json();
        var tokens = new List<ServerTokenRecord>();
        if (json.RootElement.ValueKind != JsonValueKind.Array) throw Malformed(response, "a list of tokens");
        foreach (var item in json.RootElement.EnumerateArray())
        {
            var id = JsonText.StringOf(item, "id");
            if (id == null) throw Malformed(response, "tokens with an id");
            tokens.Add(new ServerTokenRecord(id, JsonText.StringOf(item, "name") ?? string.Empty,
                Iso8601.TryParse(JsonText.StringOf(item, "createdAt")), Iso8601.TryParse(JsonText.StringOf(item, "lastUsedAt"))));
        }
        return tokens;
    }

    /// <summary>POST /api/tokens. Sent once: a retry after a lost answer could create a second token.</summary>
    public async Task<CreatedServerToken> CreateServerTokenAsync(string name, bool retryUnsafe, CancellationToken cancellationToken)
    {
        var body = PlainJson.Serialize(new PlainJsonObject { new("name", name) });
        var response = await ManageTokensAsync(HttpMethod.Post, "api/tokens", body, retryUnsafe, $"create server token '{name}'", cancellationToken).ConfigureAwait(false);
        using var json = response.Json();
        var root = json.RootElement;
        var id = root.ValueKind == JsonValueKind.Object ? JsonText.StringOf(root, "id") : null;
        var secret = root.ValueKind == JsonValueKind.Object ? JsonText.StringOf(root, "token") : null;
        if (id == null || secret == null) throw Malformed(response, "the new token's id and secret");
        CompletionLookup.Forget();
        return new CreatedServerToken(id, JsonText.StringOf(root, "name") ?? name, secret, Iso8601.TryParse(JsonText.StringOf(root, "createdAt")));
    }

    /// <summary>DELETE /api/tokens/{id}; an unknown id is a not-found error.</summary>
    public async Task RevokeServerTokenAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await ManageTokensAsync(Delete, "api/tokens/" + Uri.EscapeDataString(id), null, false, $"revoke server token '{id}'", cancellationToken).ConfigureAwait(false);
            CompletionLookup.Forget();
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.NotFound)
        {
            throw ServerTokenNotFound(id, e);
        }
    }

    // A literal name or id that matches nothing: the same id pattern (<Noun>NotFound), category
    // and target (the name or id) for every kind of thing the platform lists.
    public static NaraAuthException ServerTokenNamedNotFound(string name) =>
        new(ErrorIds.ServerTokenNotFound, NaraErrorCategory.ObjectNotFound,
            $"There is no server token named '{name}'.", "List the tokens with Get-ServerToken.", name);

    public static NaraAuthException NaraAgentNotFound(string name) =>
        new("NaraAgentNotFound", NaraErrorCategory.ObjectNotFound,
            $"There is no functional agent named '{name}' for this credential.", "List the agents with Get-NaraAgent.", name);

    public static NaraAuthException ServerTokenNotFound(string id, Exception? inner = null) =>
        new(ErrorIds.ServerTokenNotFound, NaraErrorCategory.ObjectNotFound,
            $"There is no server token with id '{id}' (it may have been revoked already).",
            "List the tokens with Get-ServerToken.", id, inner);

    public async Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, "api/agent/run", null, false, "list functional agents", cancellationToken).ConfigureAwait(false);
        using var json = response.Json();
        if (json.RootElement.ValueKind != JsonValueKind.Array) throw Malformed(response, "a list of agents");
        var agents = new List<AgentRecord>();
        foreach (var item in json.RootElement.EnumerateArray())
        {
            var name = JsonText.StringOf(item, "name");
            if (name != null) agents.Add(new AgentRecord(name, JsonText.StringOf(item, "description")));
        }
        return agents;
    }

    /// <summary>POST /api/agent/run; returns the run's JSON result as plain values.</summary>
    public async Task<object?> RunAgentAsync(string agentName, object? args, bool retryUnsafe, CancellationToken cancellationToken)
    {
        var body = PlainJson.Serialize(new PlainJsonObject { new("agentName", agentName), new("args", args ?? new PlainJsonObject()) });
        var response = await SendAsync(HttpMethod.Post, "api/agent/run", body, retryUnsafe, $"run functional agent '{agentName}'", cancellationToken).ConfigureAwait(false);
        return ParseBody(response);
    }

    /// <summary>The body as plain, redacted JSON values (<see cref="RestCall.ParseBody"/>).</summary>
    public static object? ParseBody(ApiResponse response) => RestCall.ParseBody(response);

    private async Task<ApiResponse> ManageTokensAsync(HttpMethod method, string path, string? body, bool retryUnsafe, string action, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(method, path, body, retryUnsafe, action, cancellationToken).ConfigureAwait(false);
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.Forbidden)
        {
            var who = Credential.IsServerToken
                ? $"The credential from {Credential.Description} is a server token; managing server tokens needs an organization admin's login."
                : Credential.Jwt?.Role is { } role && role != "admin"
                    ? $"The login from {Credential.Description} has the role '{role}'; managing server tokens needs 'admin'."
                    : "Managing server tokens needs an organization admin's login.";
            throw new NaraAuthException(ErrorIds.Forbidden, e.Category, e.Message + " " + who,
                "Log in as an organization admin with Connect-EdgeConnector, or pass an admin's JWT with -Token.", e.Target, e);
        }
    }

    /// <summary>Adds where the credential came from to a 401, so the user knows which one to replace.</summary>
    private NaraAuthException Explain(NaraAuthException e, int status)
    {
        if (status != 401) return e;
        return new NaraAuthException(e.ErrorId, e.Category, $"{e.Message} The credential came from {Credential.Description}.",
            Credential.Source == CredentialSource.TokenFile
                ? "Log in again with Connect-EdgeConnector."
                : e.RecommendedAction, e.Target, e);
    }

    private static NaraAuthException Malformed(ApiResponse response, string expected) =>
        new("MalformedServerResponse", NaraErrorCategory.ProtocolError,
            $"The server's answer from {response.RequestUri.AbsolutePath} does not contain {expected}.",
            "Check that the base URL points to the nara platform.", Http.SafeUri.WithoutQuery(response.RequestUri));

}
