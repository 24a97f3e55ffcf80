using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Json;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Oidc;

/// <summary>
/// A direct OIDC login saved for reuse: identity, tokens and the refresh token, in one owner-only
/// file per issuer, client and scope set under the NaraAuth config folder.
/// </summary>
public sealed class OidcSession
{
    public OidcSession(string issuer, string clientId, string scope, OidcIdentity identity, OidcTokens tokens, DateTimeOffset savedAt, string? accountId = null,
        ClientCredentials.ClientCredentialGrant? grant = null)
    {
        Grant = grant;
        AccountId = accountId;
        Issuer = issuer;
        ClientId = clientId;
        Scope = scope;
        Identity = identity;
        Tokens = tokens;
        SavedAt = savedAt;
    }

    public string Issuer { get; }
    public string ClientId { get; }
    public string Scope { get; }
    public OidcIdentity Identity { get; }
    public OidcTokens Tokens { get; }
    public DateTimeOffset SavedAt { get; }
    /// <summary>MSAL's home account id of the browser login, so a silent refresh asks for this account and no other.</summary>
    public string? AccountId { get; }

    /// <summary>
    /// Set for a client credentials login: how the token was obtained (method and non-secret
    /// parameters only), so the next login knows whether this one may be reused. Null for a person's login.
    /// </summary>
    public ClientCredentials.ClientCredentialGrant? Grant { get; }

    /// <summary>When the first of the ID token and the access token expires: a caller gets a 401 from then on.</summary>
    public DateTimeOffset? ExpiresAt => Tokens.AccessTokenExpiresAt is { } a && (Identity.ExpiresAt is not { } i || a < i) ? a : Identity.ExpiresAt;

    /// <summary>Both tokens stay usable for at least <paramref name="margin"/>.</summary>
    public bool IsValidFor(DateTimeOffset now, TimeSpan margin) => ExpiresAt is { } e && e - margin > now;

    /// <summary>Which token ends the session first, for the verbose note on why it is not reused.</summary>
    public string ExpiringToken => Tokens.AccessTokenExpiresAt is { } a && (Identity.ExpiresAt is not { } i || a < i) ? "access token" : "ID token";

    public static string PathFor(IEnvironment environment, string issuer, string clientId, string scope)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(issuer.TrimEnd('/') + "\n" + clientId + "\n" + scope));
        var key = BitConverter.ToString(hash, 0, 8).Replace("-", string.Empty).ToLowerInvariant();
        return Path.Combine(FolderFor(environment), key + ".json");
    }

    /// <summary>Where every direct OIDC session of this user is saved.</summary>
    public static string FolderFor(IEnvironment environment) => Path.Combine(environment.ConfigDirectory, Storage.UserFolder.Name, "oidc");

    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("issuer", Issuer);
            w.WriteString("client_id", ClientId);
            w.WriteString("scope", Scope);
            w.WriteString("subject", Identity.Subject);
            if (Identity.Email != null) w.WriteString("email", Identity.Email);
            if (Identity.Name != null) w.WriteString("name", Identity.Name);
            if (Identity.ExpiresAt is { } e) w.WriteString("expires_at", Iso8601.Format(e));
            if (Tokens.IdToken != null) w.WriteString("id_token", Tokens.IdToken);
            if (Tokens.AccessToken != null) w.WriteString("access_token", Tokens.AccessToken);
            if (Tokens.AccessTokenExpiresAt is { } a) w.WriteString("access_token_expires_at", Iso8601.Format(a));
            if (Tokens.RefreshToken != null) w.WriteString("refresh_token", Tokens.RefreshToken);
            if (AccountId != null) w.WriteString("account_id", AccountId);
            if (Grant != null)
            {
                w.WritePropertyName("client_grant");
                Grant.WriteTo(w);
            }
            w.WriteString("saved_at", Iso8601.Format(SavedAt));
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public void Write(SecureFileStore store, string path) => store.WriteAllBytes(path, Serialize());

    /// <summary>The saved session, or null when there is none or it cannot be used (a new login replaces it).</summary>
    public static OidcSession? TryRead(SecureFileStore store, string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path)) return null;
        try
        {
            var content = SecretFileReader.Read(store, path, SecretFileKind.OidcSession);
            using var document = SecretFileReader.ParseObject(content, SecretFileKind.OidcSession);
            var root = document.RootElement;
            string? T(string name) => JsonText.StringOf(root, name);
            var issuer = T("issuer");
            var client = T("client_id");
            var subject = T("subject");
            var id = T("id_token");
            var grant = root.TryGetProperty("client_grant", out var g) ? ClientCredentials.ClientCredentialGrant.Read(g) : null;
            // A person's login has an ID token; a client credentials login has its grant and an access token instead.
            var complete = grant != null ? T("access_token") != null : id != null;
            if (issuer == null || client == null || subject == null || !complete)
            {
                problem = $"The saved OIDC session '{path}' is incomplete; a new login replaces it.";
                return null;
            }
            return new OidcSession(issuer, client, T("scope") ?? string.Empty,
                new OidcIdentity(subject, T("email"), T("name"), issuer, Iso8601.TryParse(T("expires_at"))),
                new OidcTokens(id, T("access_token"), T("refresh_token"), Iso8601.TryParse(T("access_token_expires_at"))),
                Iso8601.TryParse(T("saved_at")) ?? DateTimeOffset.MinValue, T("account_id"), grant);
        }
        catch (NaraAuthException e)
        {
            problem = $"{e.Message} A new login replaces it.";
            return null;
        }
    }
}
