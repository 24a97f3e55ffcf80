using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Platform;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>
/// Rotates server tokens: creates the replacement under the same name, returns it once (as
/// New-ServerToken does), then revokes the old token. A failed create revokes nothing; a failed
/// revoke still returns the replacement, with an error naming the old token that is still live.
/// </summary>
[Cmdlet(VerbsCommon.Reset, "ServerToken", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Reset-ServerToken.md")]
[OutputType(typeof(NewServerTokenResult), typeof(NewServerTokenPlainTextResult))]
public sealed class ResetServerTokenCommand : PlatformCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByNameSet = "ByName";

    /// <summary>Token ids; bound from the Id property of piped objects (Get-ServerToken output).</summary>
    [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServerTokenIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>The name of the token to rotate (wildcards allowed); matching several tokens is an error.</summary>
    [Parameter(ParameterSetName = ByNameSet, Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServerTokenNameCompleter))]
    public string? Name { get; set; }

    /// <summary>Return the replacement with the secret as a string instead of a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>In Azure Pipelines, also set this secret pipeline variable to the replacement.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AzurePipelinesVariable { get; set; }

    /// <summary>Rotate without asking for confirmation (-WhatIf still only reports).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private List<ServerTokenRecord>? _tokens;

    protected override void ProcessNaraRecord()
    {
        // Checked first: nothing may be created that could then not be handed over safely.
        if (AzurePipelinesVariable != null)
            Core.Ci.AzurePipelinesVariable.EnsureUsable(Context.Environment, AzurePipelinesVariable, "-AzurePipelinesVariable");
        _tokens ??= Call((client, token) => client.ListServerTokensAsync(token)).ToList();
        if (ParameterSetName == ByNameSet)
        {
            var matches = WildcardNameFilter.Apply(_tokens, new[] { Name! }, t => t.Name, literal => WriteNaraError(PlatformClient.ServerTokenNamedNotFound(literal)));
            if (matches.Count > 1)
                throw new NaraAuthException("AmbiguousServerTokenName", NaraErrorCategory.InvalidArgument,
                    $"{matches.Count} server tokens match '{Name}' ({string.Join(", ", matches.Select(t => $"{t.Name} = {t.Id}"))}); nothing was rotated.",
                    "Rotate one at a time with -Id.", Name);
            foreach (var token in matches) Rotate(token);
            return;
        }
        foreach (var id in Id!)
        {
            var token = _tokens.FirstOrDefault(t => t.Id == id);
            if (token == null) WriteNaraError(PlatformClient.ServerTokenNotFound(id));
            else Rotate(token);
        }
    }

    private void Rotate(ServerTokenRecord old)
    {
        var client = Client;
        var target = $"server token '{old.Name}' ({old.Id}) on {client.Api.BaseUrl}";
        if (!ShouldProcessUnlessForced(Force, target, "Replace with a new token of the same name, then revoke")) return;

        var outcome = Call((c, cancel) => ServerTokenRotation.RotateAsync(c, old, cancel));
        var created = outcome.Replacement;
        _tokens!.Remove(old);
        WriteVerbose($"Created server token '{created.Name}' ({created.Id}) to replace {old.Id}. Its secret is shown only this once.");

        if (AzurePipelinesVariable != null)
        {
            Host.UI.WriteLine(Core.Ci.AzurePipelinesVariable.SetSecretCommand(AzurePipelinesVariable, created.Secret));
            WriteVerbose($"Set the secret pipeline variable '{AzurePipelinesVariable}' for the following steps.");
        }
        if (AsPlainText) MaskSecretForCi(created.Secret);
        var result = ModelMapping.ToResult(created, client.Api.BaseUrl.ToString().TrimEnd('/'), AsPlainText);
        result.ReplacedId = old.Id;
        // The replacement is written before the error: it is the only copy of its secret.
        WriteObject(result);
        if (outcome.RevokeFailure != null) WriteNaraError(outcome.RevokeFailure);
        else WriteVerbose($"Revoked {target}.");
    }
}
