using NaraAuth.Core.Abstractions;

namespace NaraAuth.Core.Ci;

/// <summary>
/// The log-masking commands of the CI systems we run in. Printed to the host before a secret is
/// written as plain text, so the CI system replaces the value with *** in every later log line.
/// </summary>
public static class CiSecretMasking
{
    public const string AzurePipelinesPrefix = "##vso[task.setsecret]";
    public const string GitHubActionsPrefix = "::add-mask::";

    /// <summary>The masking line for the current CI system, or null outside CI.</summary>
    public static string? MaskCommand(IEnvironment environment, string secret)
    {
        if (string.IsNullOrEmpty(secret)) return null;
        if (IsTrue(environment.GetVariable("TF_BUILD"))) return AzurePipelinesPrefix + Escape(secret);
        if (IsTrue(environment.GetVariable("GITHUB_ACTIONS"))) return GitHubActionsPrefix + secret;
        return null;
    }

    /// <summary>True in a CI job with no person present (TF_BUILD, GITHUB_ACTIONS or CI set).</summary>
    public static bool IsCi(IEnvironment environment) =>
        IsTrue(environment.GetVariable("TF_BUILD")) || IsTrue(environment.GetVariable("GITHUB_ACTIONS")) || IsTrue(environment.GetVariable("CI"));

    private static bool IsTrue(string? value) =>
        value != null && !string.Equals(value, "false", System.StringComparison.OrdinalIgnoreCase) && value != "0";

    // Azure Pipelines logging commands end at a newline; escape it so a multi-line value cannot
    // smuggle in a second command.
    internal static string Escape(string value) =>
        value.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A").Replace("]", "%5D").Replace(";", "%3B");
}
