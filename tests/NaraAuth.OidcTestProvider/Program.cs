using System.Text.Json;
using NaraAuth.OidcTestProvider;

// Usage: NaraAuth.OidcTestProvider <folder>
// Writes the client certificate (PFX) into the folder, prints one JSON line with what a test
// needs (issuer, client ids and secrets of this run, CI stand-in URLs), then serves until
// SIGTERM / Ctrl+C. Loopback only.
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("Usage: NaraAuth.OidcTestProvider <existing folder for the client certificate>");
    return 2;
}
await using var provider = await ClientCredentialsProvider.StartAsync();
var pfx = Path.Combine(args[0], "client-certificate.pfx");
File.WriteAllBytes(pfx, provider.ExportPfx());
Console.WriteLine(JsonSerializer.Serialize(new
{
    issuer = provider.Issuer,
    tokenEndpoint = provider.TokenEndpoint,
    edgePlaneAudience = ClientCredentialsProvider.EdgePlaneAudience,
    secretClientId = ClientCredentialsProvider.SecretClientId,
    clientSecret = provider.ClientSecret,
    certificateClientId = ClientCredentialsProvider.CertificateClientId,
    certificatePath = pfx,
    certificatePassword = ClientCredentialsProvider.CertificatePassword,
    federatedClientId = ClientCredentialsProvider.FederatedClientId,
    serviceConnectionId = ClientCredentialsProvider.ServiceConnectionId,
    azureRequestUri = provider.AzureRequestUri,
    systemAccessToken = provider.SystemAccessToken,
    gitHubRequestUrl = provider.GitHubRequestUrl,
    gitHubRequestToken = provider.GitHubRequestToken,
}));
var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopped.TrySetResult(); };
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
await stopped.Task;
return 0;
