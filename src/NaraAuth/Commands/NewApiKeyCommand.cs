using System.Management.Automation;
using System.Text;
using NaraAuth.ApiKeys;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Generates an Edge Server API key and its secure public hash (docs/protocol.md 4).</summary>
[Cmdlet(VerbsCommon.New, "ApiKey", HelpUri = HelpLinks.Base + "New-ApiKey.md")]
[OutputType(typeof(NewApiKeyResult), typeof(NewApiKeyPlainTextResult))]
public sealed class NewApiKeyCommand : NaraCmdlet
{
    /// <summary>Identity name for the configuration snippet (the YAML key under auth.identities).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidatePattern(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
    public string? Id { get; set; }

    /// <summary>The permission set the snippet's identity references.</summary>
    [Parameter]
    [ValidatePattern(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
    public string PermissionSet { get; set; } = "full_access";

    /// <summary>Return the same object with the key as a string instead of a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    protected override void ProcessNaraRecord()
    {
        WriteVerbose($"Generating a 32-byte key and hashing it with scrypt ({ScryptParameters.Default}).");
        var generated = ApiKeyGenerator.Generate();
        NewApiKeyResultBase result;
        if (AsPlainText)
        {
            MaskSecretForCi(generated.Key);
            result = new NewApiKeyPlainTextResult { ApiKey = generated.Key };
        }
        else
        {
            result = new NewApiKeyResult { ApiKey = SecretText.ToSecureString(generated.Key) };
        }
        result.Id = Id;
        result.Hash = generated.Hash;
        result.Algorithm = PhcScryptString.Algorithm;
        result.Parameters = ApiKeyModels.From(generated.Parameters)!;
        result.ConfigSnippet = Id == null ? null : Snippet(Id, generated.Hash, PermissionSet);
        WriteObject(result);
    }

    /// <summary>The Identity resource as the Edge Server configuration reference shows it.</summary>
    internal static string Snippet(string id, string hash, string permissionSet)
    {
        var sb = new StringBuilder();
        sb.Append("# Merge into the Edge Server configuration; permission set '").Append(permissionSet)
          .Append("' must exist under auth.permission_sets, and the HTTP server's auth list must name '").Append(id).Append("'.\n");
        sb.Append("auth:\n");
        sb.Append("  identities:\n");
        sb.Append("    ").Append(id).Append(":\n");
        sb.Append("      credential:\n");
        sb.Append("        api_key: \"").Append(hash).Append("\"\n");
        sb.Append("      permissions: [").Append(permissionSet).Append("]\n");
        sb.Append("      id: \"").Append(id).Append("\"\n");
        return sb.ToString();
    }
}
