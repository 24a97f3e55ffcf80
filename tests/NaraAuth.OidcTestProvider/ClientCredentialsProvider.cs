using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace NaraAuth.OidcTestProvider;

/// <summary>
/// OpenIddict on http://127.0.0.1:&lt;port&gt;/ with three confidential clients for the client
/// credentials grant: one with a secret, one with a certificate's public key (private_key_jwt),
/// one whose registered key is the CI stand-in's signing key (federated assertions). Under
/// /_ci/ it serves the Azure Pipelines (POST, serviceConnectionId, bearer) and GitHub Actions
/// (GET, audience, bearer) ID token endpoints, which check the bearer and mint a JWT with
/// iss = sub = the federated client and aud as asked, plus hostile variants (a redirect, an echo
/// of the bearer, a huge body, a non-JSON body). Access tokens are signed, unencrypted JWTs whose
/// aud is <see cref="EdgePlaneAudience"/>, so an EdgePlane trusting this issuer accepts them.
/// </summary>
public sealed class ClientCredentialsProvider : IAsyncDisposable
{
    public const string SecretClientId = "pipeline-secret";
    public const string CertificateClientId = "pipeline-certificate";
    public const string FederatedClientId = "pipeline-federated";
    public const string ServiceConnectionId = "5b0f3c1e-7d7a-4c52-9a51-1c1e4f1b6d01";
    public const string CertificatePassword = "pfx-password-9f1c";
    /// <summary>The API its access tokens are for (their aud), as EdgePlane in AUTH_MODE oidc is configured to expect.</summary>
    public const string EdgePlaneAudience = "edgeplane-api";

    private WebApplication? _app;
    private readonly RSA _ciKey = RSA.Create(2048);

    /// <summary>Random per run: nothing here is a real credential.</summary>
    public string ClientSecret { get; } = "cs-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant() + ":%+ /";
    public string SystemAccessToken { get; } = "sys-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    public string GitHubRequestToken { get; } = "gh-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    public X509Certificate2 ClientCertificate { get; } = CreateCertificate();
    public string Issuer { get; private set; } = string.Empty;
    public string TokenEndpoint => Issuer + "connect/token";
    public string AzureRequestUri => Issuer + "_ci/azure/oidctoken";
    public string GitHubRequestUrl => Issuer + "_ci/github/token?run=1";
    /// <summary>While set, discovery lists only client_secret_post (a provider without Basic).</summary>
    public bool OnlyClientSecretPost { get; set; }
    /// <summary>How the last secret arrived: "basic" or "post".</summary>
    public string? LastSecretMethod { get; private set; }
    public int TokenRequests;
    public int CiRequests;
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public ConcurrentQueue<string> Log { get; } = new();

    public static async Task<ClientCredentialsProvider> StartAsync()
    {
        var provider = new ClientCredentialsProvider();
        await provider.StartCoreAsync();
        return provider;
    }

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new MemoryLogger(Log));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        InMemoryKeyRing.AddTo(builder.Services);
        var database = "openiddict-cc-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<DbContext>(o =>
        {
            o.UseInMemoryDatabase(database);
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris("connect/token").SetJsonWebKeySetEndpointUris(".well-known/jwks");
                o.AllowClientCredentialsFlow();
                o.RegisterScopes("api.read", "api.write");
                o.IgnoreEndpointPermissions().IgnoreGrantTypePermissions().IgnoreScopePermissions();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.UseAspNetCore().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/connect/token")
            {
                Interlocked.Increment(ref TokenRequests);
                var basic = context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
                context.Request.EnableBuffering();
                var form = await context.Request.ReadFormAsync();
                context.Request.Body.Position = 0;
                if (basic) LastSecretMethod = "basic";
                else if (form.ContainsKey("client_secret")) LastSecretMethod = "post";
            }
            if (context.Request.Path == "/.well-known/openid-configuration" && OnlyClientSecretPost)
            {
                await RewriteDiscoveryAsync(context, () => next());
                return;
            }
            await next();
        });
        // Explicitly after the middleware above: OpenIddict answers discovery inside authentication.
        app.UseAuthentication();
        app.MapPost("/connect/token", async context =>
        {
            var request = context.GetOpenIddictServerRequest()!;
            if (!request.IsClientCredentialsGrantType())
            {
                await Results.BadRequest().ExecuteAsync(context);
                return;
            }
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId).SetClaim(Claims.Name, request.ClientId);
            identity.SetScopes(request.GetScopes());
            identity.SetResources(EdgePlaneAudience);
            identity.SetDestinations(_ => new[] { Destinations.AccessToken });
            var principal = new ClaimsPrincipal(identity);
            principal.SetAccessTokenLifetime(AccessTokenLifetime);
            await Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme).ExecuteAsync(context);
        });
        MapCiStandIns(app);

        await app.StartAsync();
        _app = app;
        Issuer = new Uri(app.Urls.First()).GetLeftPart(UriPartial.Authority) + "/";
        await RegisterClientsAsync(app.Services);
    }

    private async Task RegisterClientsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = SecretClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            DisplayName = "Pipeline with a secret",
        });
        var certificateKeys = new JsonWebKeySet();
        certificateKeys.Keys.Add(JsonWebKeyConverter.ConvertFromX509SecurityKey(new X509SecurityKey(X509CertificateLoader.LoadCertificate(ClientCertificate.RawData)), representAsRsaKey: true));
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = CertificateClientId,
            ClientType = ClientTypes.Confidential,
            DisplayName = "Pipeline with a certificate",
            JsonWebKeySet = certificateKeys,
        });
        var ciKeys = new JsonWebKeySet();
        ciKeys.Keys.Add(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_ciKey.ExportParameters(false)) { KeyId = "ci-stand-in" }));
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = FederatedClientId,
            ClientType = ClientTypes.Confidential,
            DisplayName = "Pipeline trusted through its CI system's ID token",
            JsonWebKeySet = ciKeys,
        });
    }

    private async Task RewriteDiscoveryAsync(HttpContext context, Func<Task> next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        await next();
        context.Response.Body = original;
        var document = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(buffer.ToArray())!;
        var rewritten = document.ToDictionary(p => p.Key, p => (object)p.Value);
        rewritten["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt" };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(rewritten);
        context.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes);
    }

    /// <summary>A JWT as a CI system mints one, signed with the key the federated client is registered with.</summary>
    public string MintJobToken(string audience)
    {
        var handler = new JsonWebTokenHandler();
        var now = DateTime.UtcNow;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = FederatedClientId,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = FederatedClientId, ["jti"] = Guid.NewGuid().ToString("N") },
            // OpenIddict 7 takes client assertions as draft-ietf-oauth-rfc7523bis has them.
            TokenType = "client-authentication+jwt",
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_ciKey) { KeyId = "ci-stand-in" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private void MapCiStandIns(WebApplication app)
    {
        app.MapPost("/_ci/azure/oidctoken", async context =>
        {
            Interlocked.Increment(ref CiRequests);
            var query = context.Request.Query;
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + SystemAccessToken)
            {
                await Results.Json(new { message = "TF400813: The user is not authorized to access this resource." }, statusCode: 401).ExecuteAsync(context);
                return;
            }
            if (query["api-version"] != "7.1" || query["serviceConnectionId"] != ServiceConnectionId)
            {
                await Results.Json(new { message = "Service connection not found or api-version not supported." }, statusCode: 400).ExecuteAsync(context);
                return;
            }
            await Results.Json(new { oidcToken = MintJobToken(Issuer) }).ExecuteAsync(context);
        });
        app.MapGet("/_ci/github/token", async context =>
        {
            Interlocked.Increment(ref CiRequests);
            if (!string.Equals(context.Request.Headers.Authorization.ToString(), "bearer " + GitHubRequestToken, StringComparison.OrdinalIgnoreCase))
            {
                await Results.Json(new { message = "Bad credentials" }, statusCode: 401).ExecuteAsync(context);
                return;
            }
            var audience = context.Request.Query["audience"].ToString();
            await Results.Json(new { count = 1, value = MintJobToken(string.IsNullOrEmpty(audience) ? "api://AzureADTokenExchange" : audience) }).ExecuteAsync(context);
        });
        // Hostile stand-ins: each answers both the Azure (POST) and the GitHub (GET) form.
        var both = new[] { "GET", "POST" };
        app.MapMethods("/_ci/hostile/redirect", both, context =>
        {
            Interlocked.Increment(ref CiRequests);
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "http://127.0.0.2:9/collect";
            return Task.CompletedTask;
        });
        app.MapMethods("/_ci/hostile/echo", both, async context =>
        {
            Interlocked.Increment(ref CiRequests);
            var bearer = context.Request.Headers.Authorization.ToString();
            await Results.Json(new { message = "Token rejected: " + bearer + " (raw " + bearer.Split(' ').Last() + ")" }, statusCode: 403).ExecuteAsync(context);
        });
        app.MapMethods("/_ci/hostile/huge", both, async context =>
        {
            Interlocked.Increment(ref CiRequests);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"value\":\"" + new string('a', 4 * 1024 * 1024) + "\"}");
        });
        app.MapMethods("/_ci/hostile/notjson", both, async context =>
        {
            Interlocked.Increment(ref CiRequests);
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>Sign in to continue</body></html>");
        });
        app.MapMethods("/_ci/hostile/echo-token", both, async context =>
        {
            // A token endpoint that answers with a job token, then a provider that echoes assertions is tested elsewhere.
            Interlocked.Increment(ref CiRequests);
            await Results.Json(new { value = MintJobToken("nobody"), oidcToken = MintJobToken("nobody") }).ExecuteAsync(context);
        });
    }

    /// <summary>The client certificate as a password-protected PFX, as a pipeline would keep it.</summary>
    public byte[] ExportPfx() => ClientCertificate.Export(X509ContentType.Pfx, CertificatePassword);

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=pipeline-certificate", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx, "x"), "x", X509KeyStorageFlags.Exportable);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app != null) await _app.DisposeAsync();
        _ciKey.Dispose();
        ClientCertificate.Dispose();
    }

    private sealed class MemoryLogger(ConcurrentQueue<string> log) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            log.Enqueue(logLevel + ": " + formatter(state, exception) + (exception != null ? " " + exception.GetType().Name + ": " + exception.Message : string.Empty));
            while (log.Count > 300) log.TryDequeue(out _);
        }
        public void Dispose() { }
    }
}
