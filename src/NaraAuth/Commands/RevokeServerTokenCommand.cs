using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Platform;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>
/// Revokes server tokens by id, by name, or from the pipeline (e.g. Get-ServerToken output).
/// A revoked token is refused (401) by the platform at once.
/// </summary>
[Cmdlet(VerbsSecurity.Revoke, "ServerToken", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Revoke-ServerToken.md")]
[OutputType(typeof(void))]
public sealed class RevokeServerTokenCommand : PlatformCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByNameSet = "ByName";

    /// <summary>Token ids; bound from the Id property of piped objects.</summary>
    [Parameter(ParameterSetName = ByIdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServerTokenIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>A token name (wildcards allowed). Matching several tokens is an error unless -All.</summary>
    [Parameter(ParameterSetName = ByNameSet, Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServerTokenNameCompleter))]
    public string? Name { get; set; }

    /// <summary>With -Name: revoke every token that matches.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Revoke without asking for confirmation (-WhatIf still only reports).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private List<ServerTokenRecord>? _tokens;

    protected override void ProcessNaraRecord()
    {
        // One listing per call: it names the tokens in prompts and catches unknown ids before asking.
        _tokens ??= Call((client, token) => client.ListServerTokensAsync(token)).ToList();
        if (ParameterSetName == ByNameSet)
        {
            foreach (var token in SelectByName(Name!)) Revoke(token);
            return;
        }
        foreach (var id in Id!)
        {
            var token = _tokens.FirstOrDefault(t => t.Id == id);
            if (token == null) WriteNaraError(PlatformClient.ServerTokenNotFound(id));
            else Revoke(token);
        }
    }

    private IEnumerable<ServerTokenRecord> SelectByName(string name)
    {
        // As Get-ServerToken: a literal name that matches nothing is a non-terminating
        // ServerTokenNotFound, a wildcard that matches nothing is quiet.
        var matches = WildcardNameFilter.Apply(_tokens!, new[] { name }, t => t.Name, literal => WriteNaraError(PlatformClient.ServerTokenNamedNotFound(literal)));
        if (matches.Count == 0)
        {
            WriteVerbose($"No server token matches '{name}'; nothing was revoked.");
            return matches;
        }
        if (matches.Count > 1 && !All)
        {
            throw new NaraAuthException("AmbiguousServerTokenName", NaraErrorCategory.InvalidArgument,
                $"{matches.Count} server tokens match '{name}' ({string.Join(", ", matches.Select(t => $"{t.Name} = {t.Id}"))}); nothing was revoked.",
                "Revoke one with -Id, or all of them with -All.", name);
        }
        return matches;
    }

    private void Revoke(ServerTokenRecord token)
    {
        var target = $"server token '{token.Name}' ({token.Id}) on {Client.Api.BaseUrl}";
        if (!ShouldProcessUnlessForced(Force, target, "Revoke")) return;
        try
        {
            Call(async (client, cancel) =>
            {
                await client.RevokeServerTokenAsync(token.Id, cancel).ConfigureAwait(false);
                return true;
            });
        }
        catch (NaraAuthException e) when (e.ErrorId == ErrorIds.ServerTokenNotFound)
        {
            // Revoked by someone else since the listing: report it and go on with the rest.
            WriteNaraError(e);
            return;
        }
        _tokens!.Remove(token);
        WriteVerbose($"Revoked {target}.");
    }
}
