using NaraAuth.OidcTestProvider;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>OpenIddict set up for clients with no person, with the CI token stand-ins, in the test process.</summary>
public sealed class ClientCredentialsProviderFixture : IAsyncLifetime
{
    public ClientCredentialsProvider Provider { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Provider = await ClientCredentialsProvider.StartAsync();

    public async ValueTask DisposeAsync() => await Provider.DisposeAsync();
}
