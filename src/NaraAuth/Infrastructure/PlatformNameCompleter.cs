using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Platform;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Tab completion of live platform names. It reads -Token, -BaseUrl and -InstallPath from what is
/// typed so far, so it completes against the same platform and credential the command will use.
/// </summary>
public abstract class PlatformNameCompleter : IArgumentCompleter
{
    private protected abstract CompletionLookup.Kind Kind { get; }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
        var context = new CoreContext(SystemEnvironment.Instance, SystemClock.Instance, CurrentDirectory());
        var candidates = CompletionLookup.Find(Kind,
            SecretText.FromParameter(Bound(fakeBoundParameters, "Token")),
            Bound(fakeBoundParameters, "BaseUrl") as string,
            Bound(fakeBoundParameters, "InstallPath") as string,
            context);
        var results = new List<CompletionResult>();
        foreach (var candidate in candidates)
        {
            if (!pattern.IsMatch(candidate.Value)) continue;
            var text = candidate.Value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',', '@', '#' }) >= 0
                ? "'" + candidate.Value.Replace("'", "''") + "'"
                : candidate.Value;
            results.Add(new CompletionResult(text, candidate.Value, CompletionResultType.ParameterValue, candidate.Description));
        }
        return results;
    }

    private static object? Bound(IDictionary parameters, string name) =>
        parameters != null && parameters.Contains(name) ? parameters[name] : null;

    private static string CurrentDirectory()
    {
        try
        {
            return Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath ?? Environment.CurrentDirectory;
        }
        catch (Exception e) when (e is InvalidOperationException || e is PSInvalidOperationException)
        {
            return Environment.CurrentDirectory;
        }
    }
}

/// <summary>Completes server token names (Get-ServerToken -Name, Revoke-ServerToken -Name).</summary>
public sealed class ServerTokenNameCompleter : PlatformNameCompleter
{
    private protected override CompletionLookup.Kind Kind => CompletionLookup.Kind.ServerTokenName;
}

/// <summary>Completes server token ids (Get-ServerToken -Id, Revoke-ServerToken -Id).</summary>
public sealed class ServerTokenIdCompleter : PlatformNameCompleter
{
    private protected override CompletionLookup.Kind Kind => CompletionLookup.Kind.ServerTokenId;
}

/// <summary>Completes functional agent names (Get-NaraAgent -Name, Start-NaraAgentRun -Name).</summary>
public sealed class NaraAgentNameCompleter : PlatformNameCompleter
{
    private protected override CompletionLookup.Kind Kind => CompletionLookup.Kind.AgentName;
}
