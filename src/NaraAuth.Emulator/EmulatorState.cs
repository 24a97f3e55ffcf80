using System.Text.Json.Nodes;
using NaraAuth.Emulator.Infrastructure;

namespace NaraAuth.Emulator;

public sealed record Organization(string Id, string Name, bool EdgeConnector);

/// <summary>
/// Everything the emulated platform knows. Tests reach it in-process to arrange data, mint
/// tokens and queue faults; the same operations exist over HTTP under /_emulator for scripts.
/// </summary>
public sealed class EmulatorState : IDisposable
{
    public EmulatorState(EmulatorOptions options)
    {
        Options = options;
        Signer = new JwtSigner(options.SigningKeyId);
        EdgePlane = new EdgePlaneStore(() => Time.GetUtcNow())
        {
            AuthMode = options.EdgePlaneAuthMode,
            OidcIssuer = options.EdgePlaneOidcIssuer,
            OidcAudience = options.EdgePlaneOidcAudience ?? EdgePlaneStore.DefaultOidcAudience,
        };
        EdgePlaneAuth = new EdgePlaneAuthenticator(EdgePlane, () => Time.GetUtcNow());
        Oidc = new OidcProviderStore(() => Time.GetUtcNow());
    }

    /// <summary>The identity provider for direct OIDC under /oidc (docs/protocol.md 2.3).</summary>
    public OidcProviderStore Oidc { get; }

    /// <summary>EdgePlane's CLI logins, grants and sessions (docs/protocol.md 2.1, 2.2).</summary>
    public EdgePlaneStore EdgePlane { get; }

    /// <summary>EdgePlane's bearer check under its AUTH_MODE (docs/protocol.md 2.4).</summary>
    public EdgePlaneAuthenticator EdgePlaneAuth { get; }

    public EmulatorOptions Options { get; }
    public JwtSigner Signer { get; }
    public FaultInjector Faults { get; } = new();
    /// <summary>Desktop logins, bundles and deployments.</summary>
    public EdgeConnectorStore EdgeConnector { get; } = new();
    /// <summary>The NodeTool worker under /worker (docs/protocol.md 3).</summary>
    public WorkerStore Worker { get; } = new();
    /// <summary>The Edge Server under /edge-server (docs/protocol.md 4).</summary>
    public EdgeServerStore EdgeServer { get; } = new();
    public TimeProvider Time { get; set; } = TimeProvider.System;
    public string Issuer { get; set; } = "https://nara.emulator";
    /// <summary>Server tokens (docs/protocol.md 1.6).</summary>
    public Platform.ServerTokenStore ServerTokens { get; } = new();
    /// <summary>Functional agents and their runs (docs/protocol.md 1.7).</summary>
    public Platform.AgentCatalog Agents { get; } = new();

    /// <summary>Every authenticated user belongs to these organizations.</summary>
    public List<Organization> Organizations { get; } = new()
    {
        new Organization("org_1", "Acme", true),
        new Organization("org_2", "Globex", false),
    };

    /// <summary>Approve browser logins without a person (the --pre-approve switch).</summary>
    public bool PreApprove
    {
        get => Options.PreApprove;
        set => Options.PreApprove = value;
    }

    /// <summary>Mints a platform JWT. Arguments exist so tests can make bad ones on purpose.</summary>
    public string MintToken(string? subject = null, string? org = "org_1", string role = "admin", TimeSpan? lifetime = null,
        string? email = "ada@example.com", string alg = "RS256", DateTimeOffset? notBefore = null, Action<JsonObject>? edit = null)
    {
        var now = Time.GetUtcNow();
        var payload = new JsonObject
        {
            ["sub"] = subject ?? Options.DefaultSubject,
            ["role"] = role,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(8))).ToUnixTimeSeconds(),
            ["iss"] = Issuer,
        };
        if (org != null)
        {
            payload["org"] = org;
            var name = Organizations.FirstOrDefault(o => o.Id == org)?.Name;
            if (name != null) payload["org_name"] = name;
        }
        if (email != null) payload["email"] = email;
        if (notBefore is { } nbf) payload["nbf"] = nbf.ToUnixTimeSeconds();
        edit?.Invoke(payload);
        return Signer.Sign(payload, alg);
    }

    public void Dispose()
    {
        Signer.Dispose();
        Oidc.Dispose();
    }
}
