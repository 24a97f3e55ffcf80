using System;
using System.IO;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Json;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>Where deployment credentials came from (protocol.md 1.2 order).</summary>
public enum DeploymentCredentialSource
{
    Parameters,
    EnvironmentVariables,
    CredentialsFile,
}

/// <summary>
/// A deployment id and secret (protocol.md 1.2). The secret is held only as long as needed and
/// never appears in a message or ToString.
/// </summary>
public sealed class DeploymentCredentials
{
    public DeploymentCredentials(string deploymentId, string deploymentSecret, DeploymentCredentialSource source, string? filePath = null)
    {
        DeploymentId = deploymentId;
        DeploymentSecret = deploymentSecret;
        Source = source;
        FilePath = filePath;
        // Known from now on, so no server text quoted later in this session can carry it.
        Http.KnownSecrets.Remember(deploymentSecret);
    }

    public string DeploymentId { get; }
    /// <summary>The secret. Never log or format this.</summary>
    public string DeploymentSecret { get; }
    public DeploymentCredentialSource Source { get; }
    public string? FilePath { get; }

    public override string ToString() => $"{DeploymentId} (from {Source})";

    /// <summary>
    /// Parameters (both or neither), else the environment pair (both or neither), else the
    /// DEPLOYMENT_CREDENTIALS_PATH file. Half a pair is an error of its own, never silently skipped.
    /// </summary>
    public static DeploymentCredentials Resolve(string? id, string? secret, IEnvironment environment, string currentDirectory)
    {
        if (id != null || secret != null)
        {
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrEmpty(secret))
            {
                throw new NaraAuthException("DeploymentParameterMissing", NaraErrorCategory.InvalidArgument,
                    string.IsNullOrWhiteSpace(id) ? "-DeploymentSecret was given without -DeploymentId." : "-DeploymentId was given without -DeploymentSecret.",
                    "Pass both -DeploymentId and -DeploymentSecret.");
            }
            return new DeploymentCredentials(id!.Trim(), secret!, DeploymentCredentialSource.Parameters);
        }

        var envId = environment.GetVariable("DEPLOYMENT_ID");
        var envSecret = environment.GetVariable("DEPLOYMENT_SECRET");
        if (envId != null && envSecret != null)
            return new DeploymentCredentials(envId.Trim(), envSecret, DeploymentCredentialSource.EnvironmentVariables);
        if (envId != null || envSecret != null)
        {
            var missing = envId == null ? "DEPLOYMENT_ID" : "DEPLOYMENT_SECRET";
            var present = envId == null ? "DEPLOYMENT_SECRET" : "DEPLOYMENT_ID";
            throw new NaraAuthException("DeploymentEnvironmentIncomplete", NaraErrorCategory.InvalidArgument,
                $"{present} is set but {missing} is not; deployment credentials need both.",
                $"Set {missing} as well (or unset {present}), or use DEPLOYMENT_CREDENTIALS_PATH.", missing);
        }

        if (environment.GetVariable("DEPLOYMENT_CREDENTIALS_PATH") is { } file)
            return ReadFile(Path.GetFullPath(Path.Combine(currentDirectory, file)));

        throw new NaraAuthException("DeploymentCredentialsNotFound", NaraErrorCategory.ObjectNotFound,
            "No deployment credentials were given: pass -DeploymentId and -DeploymentSecret, or set DEPLOYMENT_ID and DEPLOYMENT_SECRET, or DEPLOYMENT_CREDENTIALS_PATH.",
            "Provide the deployment id and secret from the platform's deployment page.");
    }

    public static DeploymentCredentials ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new NaraAuthException("DeploymentCredentialsFileNotFound", NaraErrorCategory.ObjectNotFound,
                $"The deployment credentials file '{path}' (DEPLOYMENT_CREDENTIALS_PATH) does not exist.",
                "Check DEPLOYMENT_CREDENTIALS_PATH, or write the file with Connect-EdgeConnector -SaveCredentialsTo.", path);
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new NaraAuthException("DeploymentCredentialsFileUnreadable", NaraErrorCategory.ReadError,
                $"The deployment credentials file '{path}' could not be read: {e.Message}", null, path, e);
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            var id = JsonText.StringOf(root, "deploymentId");
            var secret = JsonText.StringOf(root, "deploymentSecret");
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrEmpty(secret))
            {
                throw new NaraAuthException("DeploymentCredentialsFileInvalid", NaraErrorCategory.InvalidData,
                    $"The deployment credentials file '{path}' needs both 'deploymentId' and 'deploymentSecret'.",
                    "Rewrite it as {\"deploymentId\": \"dep_...\", \"deploymentSecret\": \"...\"}.", path);
            }
            return new DeploymentCredentials(id!.Trim(), secret!, DeploymentCredentialSource.CredentialsFile, path);
        }
        catch (JsonException)
        {
            // Never quote the parser's message: it can contain the secret.
            throw new NaraAuthException("DeploymentCredentialsFileInvalid", NaraErrorCategory.InvalidData,
                $"The deployment credentials file '{path}' is not valid JSON.",
                "Rewrite it as {\"deploymentId\": \"dep_...\", \"deploymentSecret\": \"...\"}.", path);
        }
    }

    /// <summary>The file format of protocol.md 1.2, for -SaveCredentialsTo.</summary>
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("deploymentId", DeploymentId);
            writer.WriteString("deploymentSecret", DeploymentSecret);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public void Save(SecureFileStore store, string path) => store.WriteAllBytes(path, Serialize());
}
