using System.IO;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Json;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// A deployment id and secret (docs/protocol.md 1.2). The secret is held only as long as needed and
/// never appears in a message or ToString.
/// </summary>
public sealed class DeploymentCredentials
{
    public DeploymentCredentials(string deploymentId, string deploymentSecret, DeploymentCredentialSource source, string? filePath = null)
    {
        DeploymentId = CredentialText.Check(deploymentId, "The deployment id", "DeploymentIdInvalidCharacters");
        DeploymentSecret = CredentialText.Check(deploymentSecret, "The deployment secret", "DeploymentSecretInvalidCharacters");
        Source = source;
        FilePath = filePath;
        // Known from now on, so no server text quoted later in this session can carry it.
        Http.KnownSecrets.Remember(DeploymentSecret);
    }

    public string DeploymentId { get; }
    /// <summary>The secret. Never log or format this.</summary>
    public string DeploymentSecret { get; }
    public DeploymentCredentialSource Source { get; }
    public string? FilePath { get; }

    public override string ToString() => $"{DeploymentId} (from {Source})";

    /// <summary>
    /// Parameters (both or neither), else the environment as <see cref="DeploymentEnvironment"/>
    /// reads it. Half a pair is an error of its own, never silently skipped.
    /// </summary>
    public static DeploymentCredentials Resolve(string? id, string? secret, IEnvironment environment, string currentDirectory) =>
        Resolve(id, secret, environment, currentDirectory, new SecureFileStore(environment));

    /// <param name="store">Reads the DEPLOYMENT_CREDENTIALS_PATH file, and warns through its reporter when others can read it.</param>
    public static DeploymentCredentials Resolve(string? id, string? secret, IEnvironment environment, string currentDirectory, SecureFileStore store)
    {
        if (id != null || secret != null)
        {
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrEmpty(secret))
            {
                throw new NaraAuthException("DeploymentParameterMissing", NaraErrorCategory.InvalidArgument,
                    string.IsNullOrWhiteSpace(id) ? "-DeploymentSecret was given without -DeploymentId." : "-DeploymentId was given without -DeploymentSecret.",
                    "Pass both -DeploymentId and -DeploymentSecret.", string.IsNullOrWhiteSpace(id) ? "-DeploymentId" : "-DeploymentSecret");
            }
            return new DeploymentCredentials(id!.Trim(), secret!, DeploymentCredentialSource.Parameters);
        }

        var fromEnvironment = DeploymentEnvironment.Read(environment);
        switch (fromEnvironment.Choice)
        {
            case DeploymentEnvironmentChoice.Pair:
                return fromEnvironment.Pair();
            case DeploymentEnvironmentChoice.CredentialsFile:
                return ReadFile(store, Path.GetFullPath(Path.Combine(currentDirectory, fromEnvironment.CredentialsPath!)));
            default:
                throw new NaraAuthException("DeploymentCredentialsNotFound", NaraErrorCategory.ObjectNotFound,
                    $"No deployment credentials were given: pass -DeploymentId and -DeploymentSecret, or set {EnvironmentVariables.DeploymentId} and {EnvironmentVariables.DeploymentSecret}, or {EnvironmentVariables.DeploymentCredentialsPath}.",
                    "Provide the deployment id and secret from the platform's deployment page.", EnvironmentVariables.DeploymentCredentialsPath);
        }
    }

    public static DeploymentCredentials ReadFile(string path) => ReadFile(SecureFileStore.Default, path);

    public static DeploymentCredentials ReadFile(SecureFileStore store, string path)
    {
        var content = SecretFileReader.Read(store, path, SecretFileKind.DeploymentCredentials);
        var (id, secret) = Parse(content);
        return new DeploymentCredentials(id, secret, DeploymentCredentialSource.CredentialsFile, path);
    }

    private static (string Id, string Secret) Parse(SecretFileContent content)
    {
        using var document = SecretFileReader.ParseObject(content, SecretFileKind.DeploymentCredentials);
        var root = document.RootElement;
        var id = JsonText.StringOf(root, "deploymentId");
        var secret = JsonText.StringOf(root, "deploymentSecret");
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrEmpty(secret))
            throw SecretFileKind.DeploymentCredentials.MissingField(content.Path, "needs both 'deploymentId' and 'deploymentSecret'");
        return (id!.Trim(), secret!);
    }

    private static bool Recognizes(SecretFileContent content) => SecretFileReader.Accepts(content, Parse);

    /// <summary>The file format of docs/protocol.md 1.2, for -SaveCredentialsTo.</summary>
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

    /// <summary>Writes the file owner-only; an existing file that is not a credentials file is kept unless <paramref name="force"/>.</summary>
    /// <param name="owner">The runtime account the file is for; null for this user.</param>
    public void Save(SecureFileStore store, string path, bool force = false, RuntimeAccount? owner = null) =>
        store.WriteAllBytes(path, Serialize(), SecretFileKind.DeploymentCredentials, Recognizes, force, owner);
}
