using System.Text.RegularExpressions;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Ci;

/// <summary>
/// Sets an Azure Pipelines secret variable from inside a step ("##vso[task.setvariable ...;issecret=true]"),
/// so a pipeline gets a new credential into later steps without ever printing it: the agent
/// masks a secret variable's value in every log line.
/// </summary>
public static class AzurePipelinesVariable
{
    // Azure's own rule for variable names, minus the characters that would end the command.
    private static readonly Regex ValidName = new("^[A-Za-z0-9_][A-Za-z0-9_.\\-]*$", RegexOptions.CultureInvariant);

    public static bool IsAzurePipelines(IEnvironment environment)
    {
        var value = environment.GetVariable(EnvironmentVariables.AzurePipelines);
        return value != null && !string.Equals(value, "false", System.StringComparison.OrdinalIgnoreCase) && value != "0";
    }

    /// <summary>Checks the name and that we run in Azure Pipelines; outside it the command would print the secret in clear.</summary>
    public static void EnsureUsable(IEnvironment environment, string name, string parameterName)
    {
        if (string.IsNullOrEmpty(name) || !ValidName.IsMatch(name))
        {
            throw new NaraAuthException("InvalidPipelineVariableName", NaraErrorCategory.InvalidArgument,
                $"'{name}' ({parameterName}) is not a valid Azure Pipelines variable name.",
                $"Use letters, digits, '_', '.' and '-', e.g. {EnvironmentVariables.NaraToken}.", name);
        }
        if (!IsAzurePipelines(environment))
        {
            throw new NaraAuthException("NotInAzurePipelines", NaraErrorCategory.InvalidOperation,
                $"{parameterName} only works inside an Azure Pipelines job ({EnvironmentVariables.AzurePipelines} is not set); outside one it would print the secret in clear.",
                $"Drop {parameterName} outside Azure Pipelines.", name);
        }
    }

    /// <summary>The logging command that creates (or updates) a secret variable.</summary>
    public static string SetSecretCommand(string name, string value) =>
        "##vso[task.setvariable variable=" + name + ";issecret=true]" + CiSecretMasking.Escape(value);
}
