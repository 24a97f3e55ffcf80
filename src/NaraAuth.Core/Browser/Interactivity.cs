using System;
using System.Collections.Generic;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Ci;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Browser;

/// <summary>
/// Decides whether a person can answer a browser login. The facts about the host come from the
/// cmdlet layer; the rule lives here so it can be unit-tested.
/// </summary>
public static class Interactivity
{
    /// <returns>Null when a person is present, else why not (for the error message).</returns>
    public static string? WhyNonInteractive(IEnvironment environment, string? hostName, bool inputRedirected, IEnumerable<string> commandLine, bool userInteractive)
    {
        if (CiSecretMasking.IsCi(environment)) return $"this is a CI job ({EnvironmentVariables.AzurePipelines}, {EnvironmentVariables.GitHubActions} or {EnvironmentVariables.Ci} is set)";
        if (!userInteractive) return "the process runs without a user session (service or scheduled task)";
        if (string.Equals(hostName, "ServerRemoteHost", StringComparison.Ordinal)) return "this is a remote session, so the browser would open on the remote machine";
        // Only the console host reads the real console; other hosts (editors, test hosts) bring their own UI.
        if (string.Equals(hostName, "ConsoleHost", StringComparison.Ordinal))
        {
            foreach (var arg in commandLine)
                if (IsNonInteractiveSwitch(arg)) return "PowerShell was started with -NonInteractive";
            if (inputRedirected) return "there is no console input (input is redirected)";
        }
        return null;
    }

    /// <summary>pwsh accepts any unambiguous prefix of -NonInteractive down to -noni, with - or /.</summary>
    internal static bool IsNonInteractiveSwitch(string arg)
    {
        if (arg.Length < 5 || (arg[0] != '-' && arg[0] != '/')) return false;
        var name = arg.Substring(1).ToLowerInvariant();
        return name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.Ordinal);
    }

    /// <summary>The same refusal for the other logins, naming what works there without a person at this machine.</summary>
    public static NaraAuthException NonInteractiveError(string why, string login, string headless, string example) =>
        new("BrowserLoginNotInteractive", NaraErrorCategory.InvalidOperation,
            $"{login} needs a person at this machine, but {why}. What works headless: {headless}.", example);

    public static NaraAuthException NonInteractiveError(string why) =>
        new("BrowserLoginNotInteractive", NaraErrorCategory.InvalidOperation,
            $"A browser login needs a person, but {why}. Use one of the headless modes: -Token <token file or JWT>, or deployment credentials (-DeploymentId/-DeploymentSecret, {EnvironmentVariables.DeploymentId} and {EnvironmentVariables.DeploymentSecret}, or {EnvironmentVariables.DeploymentCredentialsPath}).",
            "Connect-EdgeConnector -Token <path or JWT>, or Connect-EdgeConnector -DeploymentId <id> -DeploymentSecret <secret>.");
}
