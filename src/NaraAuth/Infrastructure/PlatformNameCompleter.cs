using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Tab completion of live platform names. It reads -Token, -BaseUrl, -InstallPath, -Proxy,
/// -ProxyCredential and -TimeoutSec from what is typed so far, so it completes against the same
/// platform, with the same credential, through the same proxy the command will use. What the
/// platform answers is quoted and cleaned in Core (<see cref="CompletionCandidate"/>).
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
        // A network or platform parameter on the line whose value completion cannot know yet (a
        // variable not set, a subexpression) must not quietly become a direct call elsewhere.
        if (Unresolved(commandAst, fakeBoundParameters)) return Array.Empty<CompletionResult>();
        NetworkSettings? network;
        try
        {
            network = TypedNetwork(fakeBoundParameters);
        }
        catch (Exception e) when (e is NaraAuthException || e is UriFormatException || e is PSInvalidCastException || e is InvalidCastException)
        {
            // A -Proxy that would be refused when the command runs: nothing is sent now either.
            return Array.Empty<CompletionResult>();
        }
        var candidates = CompletionLookup.Find(Kind,
            SecretText.FromParameter(Bound(fakeBoundParameters, "Token")),
            Bound(fakeBoundParameters, "BaseUrl") as string,
            Bound(fakeBoundParameters, "InstallPath") as string,
            context, network);
        var results = new List<CompletionResult>();
        foreach (var candidate in candidates)
        {
            if (!pattern.IsMatch(candidate.Value)) continue;
            var tooltip = candidate.Description.Length > 0 ? candidate.Description : candidate.Value;
            results.Add(new CompletionResult(candidate.CompletionText, candidate.Value, CompletionResultType.ParameterValue, tooltip));
        }
        return results;
    }

    private static readonly string[] RoutingParameters = { "Proxy", "ProxyCredential", "TimeoutSec", "BaseUrl", "Token", "InstallPath" };

    private static bool Unresolved(CommandAst? commandAst, IDictionary parameters)
    {
        if (commandAst == null) return false;
        foreach (var element in commandAst.CommandElements)
        {
            if (element is not CommandParameterAst parameter) continue;
            foreach (var name in RoutingParameters)
            {
                // PowerShell accepts any unambiguous prefix (-Prox); "-Pro" could be another parameter, so it counts too.
                if (name.StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase) && Bound(parameters, name) == null
                    && parameter.ParameterName.Length >= 3)
                    return true;
            }
        }
        return false;
    }

    /// <summary>-Proxy, -ProxyCredential and -TimeoutSec as typed, with the rules the cmdlet applies to them.</summary>
    private static NetworkSettings? TypedNetwork(IDictionary parameters)
    {
        var proxyValue = Bound(parameters, "Proxy");
        var proxy = proxyValue == null ? null : LanguagePrimitives.ConvertTo<Uri>(proxyValue);
        var credentialValue = Bound(parameters, "ProxyCredential");
        var credential = credentialValue == null ? null : LanguagePrimitives.ConvertTo<PSCredential>(credentialValue).GetNetworkCredential();
        var timeoutValue = Bound(parameters, "TimeoutSec");
        var timeout = timeoutValue == null ? 0 : LanguagePrimitives.ConvertTo<int>(timeoutValue);
        var settings = ProxySettings.FromParameters(proxy, credential);
        if (settings == null && timeout <= 0) return null;
        return new NetworkSettings(settings, timeout > 0 ? TimeSpan.FromSeconds(timeout) : null);
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

