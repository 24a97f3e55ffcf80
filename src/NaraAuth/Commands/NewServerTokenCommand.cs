using System.Management.Automation;
using NaraAuth.Core.Ci;
using NaraAuth.Core.Platform;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Creates a named server token; its secret is returned once, as SecureString unless -AsPlainText.</summary>
[Cmdlet(VerbsCommon.New, "ServerToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "New-ServerToken.md")]
[OutputType(typeof(NewServerTokenResult), typeof(NewServerTokenPlainTextResult))]
public sealed class NewServerTokenCommand : PlatformCmdlet
{
    /// <summary>What the token is for, e.g. "CI Pipeline".</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Return the same object with the secret as a string instead of a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>In Azure Pipelines, also set this secret pipeline variable to the new token.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AzurePipelinesVariable { get; set; }

    /// <summary>Allow a retry of the create after a lost answer (may create a second token).</summary>
    [Parameter]
    public SwitchParameter RetryNonIdempotent { get; set; }

    protected override void ProcessNaraRecord()
    {
        // Checked first: nothing may be created that could then not be handed over safely.
        if (AzurePipelinesVariable != null)
            Core.Ci.AzurePipelinesVariable.EnsureUsable(Context.Environment, AzurePipelinesVariable, "-AzurePipelinesVariable");
        var client = Client;
        if (!ShouldProcess($"server token '{Name}' on {client.Api.BaseUrl}", "Create")) return;

        var created = Call((c, token) => c.CreateServerTokenAsync(Name, RetryNonIdempotent, token));
        WriteVerbose($"Created server token '{created.Name}' ({created.Id}). Its secret is shown only this once.");

        if (AzurePipelinesVariable != null)
        {
            Host.UI.WriteLine(Core.Ci.AzurePipelinesVariable.SetSecretCommand(AzurePipelinesVariable, created.Secret));
            WriteVerbose($"Set the secret pipeline variable '{AzurePipelinesVariable}' for the following steps.");
        }

        if (AsPlainText) MaskSecretForCi(created.Secret);
        WriteObject(ModelMapping.ToResult(created, client.Api.BaseUrl.ToString().TrimEnd('/'), AsPlainText));
    }
}
