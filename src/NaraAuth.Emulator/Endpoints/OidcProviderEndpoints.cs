using System.Net;

namespace NaraAuth.Emulator.Endpoints;

/// <summary>
/// The identity provider for direct OIDC (docs/protocol.md 2.3) under /oidc: discovery, JWKS, device
/// authorization, authorization (PKCE S256, state, any loopback port) and token endpoints. The
/// issuer is the origin the request arrived on plus /oidc, so the same provider answers as an
/// http issuer and, on the https listener, as an https issuer.
/// </summary>
public static class OidcProviderEndpoints
{
    public static string IssuerOf(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}/oidc";

    public static void Map(WebApplication app, EmulatorState state)
    {
        var store = state.Oidc;

        app.MapGet("/oidc/.well-known/openid-configuration", (HttpContext context) =>
        {
            var issuer = IssuerOf(context);
            return Results.Json(new
            {
                issuer,
                authorization_response_iss_parameter_supported = store.AdvertiseIss,
                authorization_endpoint = issuer + "/authorize",
                token_endpoint = issuer + "/token",
                device_authorization_endpoint = issuer + "/device_authorization",
                jwks_uri = issuer + "/jwks",
                revocation_endpoint = issuer + "/revoke",
                end_session_endpoint = issuer + "/end_session",
                response_types_supported = new[] { "code" },
                subject_types_supported = new[] { "public" },
                id_token_signing_alg_values_supported = new[] { "RS256" },
                code_challenge_methods_supported = new[] { "S256" },
                grant_types_supported = new[] { "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code" },
                scopes_supported = new[] { "openid", "profile", "email", "offline_access" },
                token_endpoint_auth_methods_supported = new[] { "none" },
            });
        });

        app.MapGet("/oidc/jwks", () =>
        {
            Interlocked.Increment(ref store.JwksReads);
            return Results.Json(store.Jwks());
        });

        app.MapPost("/oidc/device_authorization", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var clientId = form["client_id"].ToString();
            if (!store.Clients.Contains(clientId))
                return Results.Json(new { error = "invalid_client", error_description = $"Unknown client '{clientId}'." }, statusCode: 401);
            var auth = store.IssueDeviceCode(clientId, form["scope"].ToString());
            var verification = IssuerOf(context) + "/device";
            var body = new Dictionary<string, object>
            {
                ["device_code"] = auth.DeviceCode,
                ["user_code"] = auth.UserCode,
                ["verification_uri"] = verification,
                ["verification_uri_complete"] = verification + "?user_code=" + Uri.EscapeDataString(auth.UserCode),
                ["expires_in"] = (int)Math.Ceiling((auth.ExpiresAt - state.Time.GetUtcNow()).TotalSeconds),
            };
            if (store.Interval is { } interval) body["interval"] = interval;
            return Results.Json(body);
        });

        // The person's side of the device flow: enter (or confirm) the code, approve or deny.
        app.MapGet("/oidc/device", (string? user_code) => Results.Content(EdgePlaneEndpoints.Page("Device login", $"""
            <form method="post" action="/oidc/device">
              <label>Code <input name="user_code" value="{WebUtility.HtmlEncode(user_code ?? string.Empty)}"></label>
              <label>Subject <input name="subject" value="{WebUtility.HtmlEncode(store.DefaultSubject)}"></label>
              <button name="decision" value="approve">Approve</button>
              <button name="decision" value="deny">Deny</button>
            </form>
            """), "text/html"));

        app.MapPost("/oidc/device", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var auth = store.ByUserCode(form["user_code"].ToString().Trim());
            if (auth == null) return Results.Content(EdgePlaneEndpoints.Page("Unknown code", "<p>That code is unknown.</p>"), "text/html", statusCode: 404);
            if (form["decision"] == "deny")
            {
                auth.Deny();
                return Results.Content(EdgePlaneEndpoints.Page("Denied", "<p>The device was not signed in.</p>"), "text/html");
            }
            var subject = form["subject"].ToString();
            auth.Approve(string.IsNullOrWhiteSpace(subject) ? store.DefaultSubject : subject, store.DefaultEmail);
            return Results.Content(EdgePlaneEndpoints.Page("Approved", "<p>You can return to your device.</p>"), "text/html");
        });

        app.MapGet("/oidc/authorize", (HttpContext context) =>
        {
            var q = context.Request.Query.ToDictionary(p => p.Key, p => p.Value.ToString());
            store.LastAuthorizeQuery = q;
            string Get(string name) => q.TryGetValue(name, out var v) ? v : string.Empty;
            var clientId = Get("client_id");
            if (!store.Clients.Contains(clientId))
                return Results.Content(EdgePlaneEndpoints.Page("Unknown client", "<p>Unknown client.</p>"), "text/html", statusCode: 400);
            // RFC 8252 7.3: loopback redirects may use any port.
            if (!Uri.TryCreate(Get("redirect_uri"), UriKind.Absolute, out var redirect) || redirect.Scheme != "http"
                || !(redirect.Host == "127.0.0.1" || redirect.Host == "[::1]" || redirect.Host == "localhost"))
                return Results.Content(EdgePlaneEndpoints.Page("Bad redirect", "<p>Only loopback redirects are allowed.</p>"), "text/html", statusCode: 400);
            var prompt = Get("prompt");
            if (prompt.Length > 0 && prompt is not ("login" or "consent" or "none"))
                return Redirect(redirect, new() { ["error"] = "invalid_request", ["error_description"] = $"Unsupported prompt '{prompt}'.", ["state"] = Get("state") });
            if (Get("response_type") != "code" || Get("code_challenge_method") != "S256" || Get("code_challenge").Length < 43)
                return Redirect(redirect, new() { ["error"] = "invalid_request", ["error_description"] = "PKCE with S256 is required.", ["state"] = Get("state") });
            var subject = q.TryGetValue("login_as", out var s) ? s : store.DefaultSubject;
            if (!store.AutoApprove && !q.ContainsKey("login_as"))
            {
                var hidden = string.Concat(q.Select(p => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode(p.Value)}\">"));
                return Results.Content(EdgePlaneEndpoints.Page("Sign in", $"""
                    <form method="get" action="/oidc/authorize">{hidden}
                      <label>Subject <input name="login_as" value="{WebUtility.HtmlEncode(store.DefaultSubject)}"></label>
                      <button type="submit" id="sign-in">Sign in</button>
                      <button type="submit" id="cancel" name="decision" value="cancel">Cancel</button>
                    </form>
                    """), "text/html");
            }
            Dictionary<string, string> answer;
            if (Get("decision") == "cancel")
            {
                // The person pressed Cancel: OAuth 2.0 (RFC 6749 4.1.2.1) answers access_denied.
                answer = new() { ["error"] = "access_denied", ["error_description"] = "The user cancelled the login.", ["state"] = store.TamperState ?? Get("state") };
            }
            else
            {
                var code = store.IssueCode(clientId, redirect.ToString(), Get("code_challenge"), q.TryGetValue("nonce", out var n) ? n : null, subject, store.DefaultEmail, Get("scope"));
                answer = new() { ["code"] = code, ["state"] = store.TamperState ?? Get("state") };
            }
            if (store.AdvertiseIss) answer["iss"] = store.TamperIss ?? IssuerOf(context);
            // OAuth 2.0 Form Post Response Mode (MSAL asks for it on loopback): the browser POSTs the answer.
            if (Get("response_mode") == "form_post") return FormPost(redirect, answer);
            return Redirect(redirect, answer);
        });

        app.MapPost("/oidc/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            string Get(string name) => form[name].ToString();
            var clientId = Get("client_id");
            var issuer = IssuerOf(context);
            if (!store.Clients.Contains(clientId)) return Error("invalid_client", "Unknown client.", 401);
            switch (Get("grant_type"))
            {
                case "urn:ietf:params:oauth:grant-type:device_code":
                {
                    var auth = store.ByDeviceCode(Get("device_code"));
                    store.DevicePolls.Enqueue(state.Time.GetUtcNow());
                    if (auth == null || auth.ClientId != clientId || auth.Redeemed) return Error("invalid_grant", "Unknown or used device code.");
                    if (auth.ExpiresAt <= state.Time.GetUtcNow()) return Error("expired_token", "The device code has expired.");
                    if (auth.SlowDowns > 0)
                    {
                        auth.SlowDowns--;
                        return Error("slow_down", "Polling too fast.");
                    }
                    if (auth.Denied) return Error("access_denied", "The user denied the request.");
                    if (auth.ApprovedAs == null) return Error("authorization_pending", "The user has not finished yet.");
                    auth.Redeemed = true;
                    return Tokens(issuer, clientId, auth.ApprovedAs, auth.Scope);
                }
                case "refresh_token":
                {
                    var grant = store.Refresh(Get("refresh_token"), clientId);
                    if (grant == null) return Error("invalid_grant", "The refresh token is invalid or was already used.");
                    return Tokens(issuer, clientId, grant.Who, grant.Scope);
                }
                case "authorization_code":
                {
                    var scope = store.ScopeOf(Get("code"));
                    var (who, error) = store.RedeemCode(Get("code"), clientId, Get("redirect_uri"), Get("code_verifier"));
                    if (who == null) return Error(error!, "The code, redirect_uri or code_verifier does not match.");
                    return Tokens(issuer, clientId, who, scope);
                }
                default:
                    return Error("unsupported_grant_type", "Unsupported grant_type.");
            }
        });

        // RFC 7009: an unknown or already revoked token is no error (200), a wrong client is.
        app.MapPost("/oidc/revoke", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var clientId = form["client_id"].ToString();
            if (!store.Clients.Contains(clientId)) return Error("invalid_client", "Unknown client.", 401);
            store.Revoke(form["token"].ToString(), form["token_type_hint"].ToString(), clientId);
            return Results.Ok();
        });

        // RP-initiated logout 1.0: ends the provider's session and, like a real provider, answers
        // with a redirect to its own signed-out page, which the client does not follow.
        app.MapGet("/oidc/end_session", (HttpContext context) =>
        {
            var q = context.Request.Query;
            store.EndSession(q["id_token_hint"].ToString(), q["client_id"].ToString());
            return Results.Redirect(IssuerOf(context) + "/signed_out");
        });

        // Test and demo controls.
        app.MapPost("/_emulator/oidc/device/{userCode}/approve", (string userCode) =>
        {
            var auth = store.ByUserCode(userCode);
            if (auth == null) return Results.NotFound();
            auth.Approve(store.DefaultSubject, store.DefaultEmail);
            return Results.NoContent();
        });

        IResult Tokens(string issuer, string clientId, OidcProviderStore.Identity who, string scope)
        {
            var body = new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["access_token"] = store.MintAccessToken(issuer, clientId, who, scope),
                ["id_token"] = store.MintIdToken(issuer, clientId, who),
                ["expires_in"] = (int)(store.AccessTokenLifetime ?? store.IdTokenLifetime).TotalSeconds,
                ["scope"] = scope,
            };
            if (store.RememberRefresh(clientId, who, scope) is { } refresh) body["refresh_token"] = refresh;
            return Results.Json(body, statusCode: 200);
        }
    }

    private static IResult Error(string error, string description, int status = 400) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    private static IResult FormPost(Uri redirect, Dictionary<string, string> fields)
    {
        // One line, so a scripted browser double can read the form with sed.
        var inputs = string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(f.Key)}\" value=\"{WebUtility.HtmlEncode(f.Value)}\">"));
        var html = $"<!doctype html><html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{WebUtility.HtmlEncode(redirect.ToString())}\">{inputs}<noscript><button type=\"submit\">Continue</button></noscript></form></body></html>";
        return Results.Content(html, "text/html");
    }

    private static IResult Redirect(Uri redirect, Dictionary<string, string> query)
    {
        var separator = string.IsNullOrEmpty(redirect.Query) ? "?" : "&";
        return Results.Redirect(redirect + separator + string.Join("&", query.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));
    }
}
