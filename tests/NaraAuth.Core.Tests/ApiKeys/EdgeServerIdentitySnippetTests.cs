using NaraAuth.ApiKeys;

namespace NaraAuth.Core.Tests.ApiKeys;

/// <summary>The Edge Server configuration New-ApiKey -Id prints.</summary>
public class EdgeServerIdentitySnippetTests
{
    [Fact]
    public void The_identity_names_the_hash_and_the_permission_set_under_auth_identities()
    {
        var snippet = EdgeServerIdentitySnippet.For("ci-runner", "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA", "read_only");
        var lines = snippet.Split('\n');
        Assert.StartsWith("# Merge into the Edge Server configuration; permission set 'read_only' must exist", lines[0]);
        Assert.Equal(new[]
        {
            "auth:",
            "  identities:",
            "    ci-runner:",
            "      credential:",
            "        api_key: \"$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA\"",
            "      permissions: [read_only]",
            "      id: \"ci-runner\"",
            "",
        }, lines.Skip(1));
    }

    [Fact]
    public void The_snippet_parses_as_YAML_with_the_identity_in_place()
    {
        var snippet = EdgeServerIdentitySnippet.For("edge.one", "$scrypt$x", "full_access");
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(snippet));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
        var identity = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)root["auth"])["identities"])["edge.one"];
        Assert.Equal("$scrypt$x", ((YamlDotNet.RepresentationModel.YamlScalarNode)((YamlDotNet.RepresentationModel.YamlMappingNode)identity["credential"])["api_key"]).Value);
        Assert.Equal("edge.one", ((YamlDotNet.RepresentationModel.YamlScalarNode)identity["id"]).Value);
    }
}
