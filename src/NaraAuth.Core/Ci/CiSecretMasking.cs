using System;
using System.Collections.Generic;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Ci;

/// <summary>
/// The log-masking commands of the CI systems we run in. Printed to the host before a secret is
/// written as plain text, so the CI system replaces the value with *** in every later log line.
/// </summary>
public static class CiSecretMasking
{
    public const string AzurePipelinesPrefix = "##vso[task.setsecret]";
    public const string GitHubActionsPrefix = "::add-mask::";

    /// <summary>
    /// The masking lines for the current CI system (none outside CI). Both systems compare the
    /// log one line at a time, so a multi-line secret (a PEM key) printed as text appears to them
    /// line by line: each line is masked on its own (and, on Azure Pipelines, the whole value
    /// too, escaped), or its lines would print in clear.
    /// </summary>
    public static IReadOnlyList<string> MaskCommands(IEnvironment environment, string secret)
    {
        var commands = new List<string>();
        if (string.IsNullOrEmpty(secret)) return commands;
        if (IsTrue(environment.GetVariable(EnvironmentVariables.AzurePipelines)))
        {
            commands.Add(AzurePipelinesPrefix + Escape(secret));
            foreach (var line in Lines(secret))
                AddOnce(commands, AzurePipelinesPrefix + Escape(line));
        }
        else if (IsTrue(environment.GetVariable(EnvironmentVariables.GitHubActions)))
        {
            foreach (var line in Lines(secret))
                AddOnce(commands, GitHubActionsPrefix + EscapeGitHub(line));
        }
        return commands;
    }

    /// <summary>The lines of a multi-line secret worth masking (none for a one-line secret).</summary>
    private static IEnumerable<string> Lines(string secret)
    {
        var lines = secret.Split(new[] { "\r\n", "\n", "\r" }, StringSplitOptions.None);
        foreach (var line in lines)
            if (line.Trim().Length > 0) yield return line;
    }

    private static void AddOnce(List<string> commands, string command)
    {
        if (!commands.Contains(command)) commands.Add(command);
    }

    /// <summary>True in a CI job with no person present (TF_BUILD, GITHUB_ACTIONS or CI set).</summary>
    public static bool IsCi(IEnvironment environment) =>
        IsTrue(environment.GetVariable(EnvironmentVariables.AzurePipelines)) || IsTrue(environment.GetVariable(EnvironmentVariables.GitHubActions)) || IsTrue(environment.GetVariable(EnvironmentVariables.Ci));

    private static bool IsTrue(string? value) =>
        value != null && !string.Equals(value, "false", System.StringComparison.OrdinalIgnoreCase) && value != "0";

    // GitHub workflow commands decode %25, %0D and %0A in their value; a literal '%' must survive.
    internal static string EscapeGitHub(string value) => value.Replace("%", "%25");

    // Azure Pipelines logging commands end at a newline; escape it so a multi-line value cannot
    // smuggle in a second command.
    internal static string Escape(string value) =>
        value.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A").Replace("]", "%5D").Replace(";", "%3B");
}
