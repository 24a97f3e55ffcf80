using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NaraAuth.Module.Tests.EdgePlane;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using NaraAuth.TestSupport.Certificates;
using NaraAuth.OidcTestProvider;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>
/// An OpenID provider the project does not write: an OpenIddict server (EF Core in-memory
/// stores) hosted in the test process on https://127.0.0.1:&lt;port&gt;/ with the tests' loopback
/// certificate. It serves discovery, JWKS, authorization code + PKCE with form_post, the device
/// authorization grant and refresh tokens (only for offline_access, as OpenIddict does). The
/// pages a person would see are minimal: a sign-in form (login_as, Sign in / Cancel) and a device
/// verification endpoint the test answers for the person.
/// </summary>
public sealed class OpenIddictProviderFixture : IAsyncLifetime
{
    public const string ClientId = "naraauth-cli";
    private WebApplication? _app;

    /// <summary>The issuer exactly as OpenIddict states it (with the trailing slash).</summary>
    public string Issuer { get; private set; } = string.Empty;
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    /// <summary>While set, the JWKS endpoint publishes no key (a rotation not yet published).</summary>
    public bool HideSigningKeys { get; set; }
    public int JwksReads;
    /// <summary>The server's log, for failure messages.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();
    public int RefreshGrants;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new MemoryLogger(Log));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(LoopbackCertificate.Certificate)));
        InMemoryKeyRing.AddTo(builder.Services);
        var database = "openiddict-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<DbContext>(o =>
        {
            o.UseInMemoryDatabase(database);
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o =>
            {
                o.UseEntityFrameworkCore().UseDbContext<DbContext>();
                o.ReplaceApplicationManager(typeof(LoopbackAnyPortManager<>));
            })
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                 .SetTokenEndpointUris("connect/token")
                 .SetDeviceAuthorizationEndpointUris("connect/device")
                 .SetEndUserVerificationEndpointUris("connect/verify")
                 .SetJsonWebKeySetEndpointUris(".well-known/jwks");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                 .AllowDeviceAuthorizationFlow()
                 .AllowRefreshTokenFlow();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess);
                o.IgnoreEndpointPermissions().IgnoreGrantTypePermissions().IgnoreResponseTypePermissions().IgnoreScopePermissions();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.UseAspNetCore()
                 .EnableAuthorizationEndpointPassthrough()
                 .EnableTokenEndpointPassthrough()
                 .EnableEndUserVerificationEndpointPassthrough();
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        // Before OpenIddict: count JWKS reads, and hide the keys while a test asks for it.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/.well-known/jwks")
            {
                Interlocked.Increment(ref JwksReads);
                if (HideSigningKeys)
                {
                    await context.Response.WriteAsJsonAsync(new { keys = Array.Empty<object>() });
                    return;
                }
            }
            await next();
        });
        app.UseAuthentication();
        app.UseAuthorization();
        // RequestDelegates that execute the result: a method returning Task<IResult> would bind
        // as a RequestDelegate and its result (the sign-in) would silently be dropped.
        app.MapMethods("/connect/authorize", new[] { "GET", "POST" }, Execute(Authorize));
        app.MapMethods("/connect/verify", new[] { "GET", "POST" }, Execute(Verify));
        app.MapPost("/connect/token", Execute(Token));

        await app.StartAsync();
        _app = app;
        var address = app.Urls.First();
        Issuer = new Uri(address).GetLeftPart(UriPartial.Authority) + "/";

        await using var scope = app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "NaraAuth CLI",
            RedirectUris = { new Uri("http://127.0.0.1/") },
        });
    }

    private static RequestDelegate Execute(Func<HttpContext, Task<IResult>> handler) =>
        async context => await (await handler(context)).ExecuteAsync(context);

    private async Task<IResult> Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("No OpenID request.");
        var login = (string?)request["login_as"];
        if ((string?)request["decision"] == "cancel")
            return Results.Forbid(authenticationSchemes: new[] { OpenIddictServerAspNetCoreDefaults.AuthenticationScheme });
        if (string.IsNullOrEmpty(login))
        {
            var hidden = string.Concat(request.GetParameters().Select(p =>
                $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode((string?)p.Value)}\">"));
            return Results.Content($"""
                <!doctype html><html><head><title>Sign in - OpenIddict</title></head><body><h1>Sign in to OpenIddict</h1>
                <form method="get" action="/connect/authorize">{hidden}
                  <label>Subject <input name="login_as" id="login_as" value="ada"></label>
                  <button type="submit" id="sign-in">Sign in</button>
                  <button type="submit" id="cancel" name="decision" value="cancel">Cancel</button>
                </form></body></html>
                """, "text/html");
        }
        await Task.CompletedTask;
        return SignIn(Person(login, request.GetScopes()));
    }

    /// <summary>The device flow's end-user verification: the person approves a user_code as login_as.</summary>
    private async Task<IResult> Verify(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var login = context.Request.Query["login_as"].ToString();
        if (result.Principal == null || string.IsNullOrEmpty(login)) return Results.BadRequest("Unknown user code, or no login_as.");
        return SignIn(Person(login, result.Principal.GetScopes()));
    }

    private async Task<IResult> Token(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()!;
        if (request.IsRefreshTokenGrantType()) Interlocked.Increment(ref RefreshGrants);
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal == null) return Results.Forbid(authenticationSchemes: new[] { OpenIddictServerAspNetCoreDefaults.AuthenticationScheme });
        var principal = result.Principal;
        principal.SetIdentityTokenLifetime(IdentityTokenLifetime).SetAccessTokenLifetime(AccessTokenLifetime);
        return SignIn(principal);
    }

    private ClaimsPrincipal Person(string subject, System.Collections.Immutable.ImmutableArray<string> scopes)
    {
        var identity = new ClaimsIdentity("OpenIddict", Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject)
                .SetClaim(Claims.Email, subject + "@openiddict.example")
                .SetClaim(Claims.Name, char.ToUpperInvariant(subject[0]) + subject.Substring(1));
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => new[] { Destinations.AccessToken, Destinations.IdentityToken });
        var principal = new ClaimsPrincipal(identity);
        principal.SetIdentityTokenLifetime(IdentityTokenLifetime).SetAccessTokenLifetime(AccessTokenLifetime);
        return principal;
    }

    private static IResult SignIn(ClaimsPrincipal principal) =>
        Results.SignIn(principal, properties: null, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    /// <summary>Approves a device login for the person, as the verification page would.</summary>
    public async Task ApproveDeviceCodeAsync(string userCode, string subject)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(Issuer + "connect/verify?login_as=" + subject, new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = userCode }));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found, "The verification endpoint answered " + response.StatusCode + ": " + await response.Content.ReadAsStringAsync() + "\n" + string.Join("\n", Log));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app != null) await _app.DisposeAsync();
    }

    /// <summary>
    /// RFC 8252 7.3: a native client's loopback redirect may use any port. The registered
    /// http://127.0.0.1/ matches every port of that address, nothing else.
    /// </summary>
    private sealed class LoopbackAnyPortManager<TApplication> : OpenIddictApplicationManager<TApplication> where TApplication : class
    {
        public LoopbackAnyPortManager(IOpenIddictApplicationCache<TApplication> cache, ILogger<OpenIddictApplicationManager<TApplication>> logger,
            IOptionsMonitor<OpenIddictCoreOptions> options, IOpenIddictApplicationStore<TApplication> store) : base(cache, logger, options, store)
        {
        }

        public override async ValueTask<bool> ValidateRedirectUriAsync(TApplication application, string uri, CancellationToken cancellationToken = default)
        {
            if (Uri.TryCreate(uri, UriKind.Absolute, out var given) && given.Scheme == "http" && given.Host == "127.0.0.1" && given.AbsolutePath == "/" && string.IsNullOrEmpty(given.Query))
                return (await GetRedirectUrisAsync(application, cancellationToken)).Contains("http://127.0.0.1/");
            return await base.ValidateRedirectUriAsync(application, uri, cancellationToken);
        }
    }

    private sealed class MemoryLogger(System.Collections.Concurrent.ConcurrentQueue<string> log) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            log.Enqueue(logLevel + ": " + formatter(state, exception) + (exception != null ? " " + exception.GetType().Name + ": " + exception.Message : string.Empty));
            while (log.Count > 200) log.TryDequeue(out _);
        }
        public void Dispose() { }
    }
}
