using System.Text.RegularExpressions;
using NaraAuth.TestSupport.Harness;
using NaraAuth.OidcTestProvider;
using YamlDotNet.RepresentationModel;

namespace NaraAuth.Module.Tests.Oidc;

/// <summary>
/// The workload identity samples in docs/examples, parsed and run step by step as the CI agent runs
/// them (each step a fresh engine, the step's env: mapping and the job's variables set, the CI
/// system's token endpoint played by the stand-in), against OpenIddict. No secret variable exists.
/// </summary>
public sealed class ClientCredentialsExamplesTests : IClassFixture<ClientCredentialsProviderFixture>
{
    private readonly ClientCredentialsProvider _idp;

    public ClientCredentialsExamplesTests(ClientCredentialsProviderFixture fixture) => _idp = fixture.Provider;

    private static YamlMappingNode Load(string name)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, "docs", "examples", name))) yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? string.Empty;

    private static Dictionary<string, string> Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlMappingNode)value).Children.ToDictionary(p => Text(p.Key), p => Text(p.Value)) : new();

    private static void AssertNoSecretVariable(IEnumerable<string> values) =>
        Assert.DoesNotContain(values, v => Regex.IsMatch(v, @"\$\((?!System\.AccessToken\))|\$\{\{\s*secrets\.", RegexOptions.IgnoreCase));

    [Fact]
    public void The_Azure_Pipelines_sample_gets_a_token_with_the_jobs_identity_and_no_secret_variable()
    {
        var root = Load("oidc-workload-identity.azure-pipelines.yml");
        var variables = Map(root, "variables");
        variables["OIDC_ISSUER_URL"] = _idp.Issuer;
        variables["OIDC_CLIENT_ID"] = ClientCredentialsProvider.FederatedClientId;
        variables["SERVICE_CONNECTION_ID"] = ClientCredentialsProvider.ServiceConnectionId;
        variables["API_SCOPE"] = "api.read";
        var results = new List<PsResult>();
        foreach (YamlMappingNode step in (YamlSequenceNode)root.Children["steps"])
        {
            var inputs = (YamlMappingNode)step.Children["inputs"];
            Assert.Equal("true", Text(inputs.Children["pwsh"]));
            var env = Map(step, "env");
            AssertNoSecretVariable(env.Values);
            using var session = new PsSession(importModule: false);
            session.SetEnv("TF_BUILD", "True");
            session.SetEnv("GITHUB_ACTIONS", null);
            // What the agent sets in every job.
            session.SetEnv("SYSTEM_OIDCREQUESTURI", _idp.AzureRequestUri);
            foreach (var (name, value) in variables) session.SetEnv(name, value);
            foreach (var (name, value) in env)
                session.SetEnv(name, value == "$(System.AccessToken)" ? _idp.SystemAccessToken : value);
            var result = session.Run(Text(inputs.Children["script"]));
            Assert.True(result.Terminating == null && result.Errors.Count == 0, $"Step '{Text(step.Children["displayName"])}' failed: {result.Error}");
            results.Add(result);
        }
        Assert.Equal(2, results.Count);
        Assert.StartsWith("Access token for " + ClientCredentialsProvider.FederatedClientId + " valid until ", results[1].Output.Single().ToString());
        foreach (var result in results) result.AssertNoSecret(_idp.SystemAccessToken);
    }

    [Fact]
    public void The_GitHub_Actions_sample_asks_for_id_token_write_and_gets_a_token_with_the_jobs_identity()
    {
        var root = Load("oidc-workload-identity.github-workflow.yml");
        Assert.Equal("write", Map(root, "permissions")["id-token"]);
        var job = (YamlMappingNode)((YamlMappingNode)root.Children["jobs"]).Children.Single().Value;
        var jobEnv = Map(job, "env");
        jobEnv["OIDC_ISSUER_URL"] = _idp.Issuer;
        jobEnv["OIDC_CLIENT_ID"] = ClientCredentialsProvider.FederatedClientId;
        var results = new List<PsResult>();
        foreach (YamlMappingNode step in (YamlSequenceNode)job.Children["steps"])
        {
            Assert.Equal("pwsh", Text(step.Children["shell"]));
            var env = Map(step, "env");
            AssertNoSecretVariable(env.Values);
            // The provider here expects its issuer as the audience (Entra ID: the sample's value).
            if (env.ContainsKey("TOKEN_AUDIENCE")) env["TOKEN_AUDIENCE"] = _idp.Issuer;
            if (env.ContainsKey("API_SCOPE")) env["API_SCOPE"] = "api.write";
            using var session = new PsSession(importModule: false);
            session.SetEnv("GITHUB_ACTIONS", "true");
            session.SetEnv("TF_BUILD", null);
            // What GitHub sets in a job with id-token: write.
            session.SetEnv("ACTIONS_ID_TOKEN_REQUEST_URL", _idp.GitHubRequestUrl);
            session.SetEnv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", _idp.GitHubRequestToken);
            foreach (var (name, value) in jobEnv.Concat(env)) session.SetEnv(name, value);
            var result = session.Run(Text(step.Children["run"]));
            Assert.True(result.Terminating == null && result.Errors.Count == 0, $"Step '{Text(step.Children["name"])}' failed: {result.Error}");
            results.Add(result);
        }
        Assert.StartsWith("Access token for " + ClientCredentialsProvider.FederatedClientId + " valid until ", results.Last().Output.Single().ToString());
        foreach (var result in results) result.AssertNoSecret(_idp.GitHubRequestToken);
    }
}
