using System.Management.Automation;
using NaraAuth.ApiKeys;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
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
        if (AsPlainText) MaskSecretForCi(generated.Key);
        WriteObject(ModelMapping.ToResult(generated, Id, PermissionSet, AsPlainText));
    }
}
