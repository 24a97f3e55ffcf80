using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NaraAuth.Core.Platform;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Lists server tokens (id, name, created, last used), optionally filtered by name wildcards or ids, by last use and by age.</summary>
[Cmdlet(VerbsCommon.Get, "ServerToken", DefaultParameterSetName = ByNameSet, HelpUri = HelpLinks.Base + "Get-ServerToken.md")]
[OutputType(typeof(ServerTokenInfo))]
public sealed class GetServerTokenCommand : PlatformCmdlet
{
    private const string ByNameSet = "ByName";
    private const string ByIdSet = "ById";

    /// <summary>Token names; wildcards allowed. Without -Name and -Id, every token is listed.</summary>
    [Parameter(ParameterSetName = ByNameSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServerTokenNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Token ids, e.g. tok_2.</summary>
    [Parameter(ParameterSetName = ByIdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServerTokenIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only tokens not used since this time; a token never used counts as not used.</summary>
    [Parameter]
    public DateTime NotUsedSince { get; set; }

    /// <summary>Only tokens created before this time (due for rotation).</summary>
    [Parameter]
    public DateTime CreatedBefore { get; set; }

    private IReadOnlyList<ServerTokenRecord>? _tokens;

    protected override void ProcessNaraRecord()
    {
        _tokens ??= Call((client, token) => client.ListServerTokensAsync(token));
        var baseUrl = Client.Api.BaseUrl.ToString().TrimEnd('/');

        IEnumerable<ServerTokenRecord> selected = _tokens;
        if (Id != null)
        {
            var ids = new List<ServerTokenRecord>();
            foreach (var id in Id)
            {
                var match = _tokens.FirstOrDefault(t => t.Id == id);
                if (match == null) WriteNaraError(PlatformClient.ServerTokenNotFound(id));
                else ids.Add(match);
            }
            selected = ids;
        }
        else if (Name != null)
        {
            selected = WildcardNameFilter.Apply(_tokens, Name, t => t.Name, literal => WriteNaraError(PlatformClient.ServerTokenNamedNotFound(literal)));
        }

        DateTimeOffset? notUsedSince = MyInvocation.BoundParameters.ContainsKey(nameof(NotUsedSince)) ? new DateTimeOffset(NotUsedSince.ToUniversalTime()) : null;
        DateTimeOffset? createdBefore = MyInvocation.BoundParameters.ContainsKey(nameof(CreatedBefore)) ? new DateTimeOffset(CreatedBefore.ToUniversalTime()) : null;
        selected = selected.Where(t => ServerTokenReview.Matches(t, notUsedSince, createdBefore));

        foreach (var token in selected) WriteObject(ModelMapping.ToInfo(token, baseUrl));
    }
}
