using System;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Storage;

/// <summary>
/// One kind of file NaraAuth reads or writes secrets in: what people call it, the prefix of its
/// stable error ids ({Prefix}NotFound, {Prefix}Unreadable, {Prefix}NotJson, {Prefix}TooLarge,
/// {Prefix}NotAFile), the largest size it may have, and what to do when it is unusable.
/// </summary>
public sealed class SecretFileKind
{
    private const long KiB = 1024;

    public SecretFileKind(string errorPrefix, string description, long maxBytes, string recommendedAction,
        string? notJsonErrorId = null, string? missingFieldErrorId = null)
    {
        ErrorPrefix = errorPrefix;
        Description = description;
        MaxBytes = maxBytes;
        RecommendedAction = recommendedAction;
        NotJsonErrorId = notJsonErrorId ?? errorPrefix + "NotJson";
        MissingFieldErrorId = missingFieldErrorId ?? errorPrefix + "MissingField";
    }

    /// <summary>A JWT is a few KiB; 256 KiB leaves room for large claim sets.</summary>
    public static SecretFileKind TokenFile { get; } = new("TokenFile", "token file", 256 * KiB,
        "Run Connect-EdgeConnector to log in, or point to the file with -Path, -InstallPath, AUTH_TOKEN_PATH or EDGE_CONNECTOR_HOME.",
        missingFieldErrorId: "TokenFileMissingToken");

    /// <summary>
    /// What to do when a file given as -Token is not a token file: the person just ran
    /// Connect-EdgeConnector, so telling them to run it is no help; say what the file must hold.
    /// </summary>
    public const string GivenTokenFileAction =
        "A token file is JSON of the form {\"token\": \"<JWT>\"}, as Connect-EdgeConnector and Get-AuthToken -Path read it; pass such a file, or pass the raw JWT itself to -Token.";

    public static SecretFileKind EdgePlaneSession { get; } = new("EdgePlaneSession", "EdgePlane session", 256 * KiB,
        "Log in again with Invoke-OidcCliLogin.", missingFieldErrorId: "EdgePlaneSessionMissingToken");

    /// <summary>Identity, ID, access and refresh tokens of one issuer: a few tokens of a few KiB each.</summary>
    public static SecretFileKind OidcSession { get; } = new("OidcSession", "saved OIDC session", 1024 * KiB,
        "Log in again with Invoke-OidcCliLogin; a new login replaces the file.");

    public static SecretFileKind DeploymentCredentials { get; } = new("DeploymentCredentialsFile", "deployment credentials file", 64 * KiB,
        "Check DEPLOYMENT_CREDENTIALS_PATH, or write the file with Connect-EdgeConnector -SaveCredentialsTo; its form is {\"deploymentId\": \"dep_...\", \"deploymentSecret\": \"...\"}.",
        notJsonErrorId: "DeploymentCredentialsFileInvalid", missingFieldErrorId: "DeploymentCredentialsFileInvalid");

    public static SecretFileKind InstallationConfig { get; } = new("ConfigFile", "configuration file", 1024 * KiB,
        "Fix or remove config.json in the installation directory.", missingFieldErrorId: "ConfigFileNotJson");

    /// <summary>One id per machine name; thousands of machines still fit.</summary>
    public static SecretFileKind DeviceIdentity { get; } = new("DeviceIdentity", "device identity file", 1024 * KiB,
        "Remove the file; a new device id is created at the next login.");

    /// <summary>The NodeTool deployment.yaml: a handful of settings.</summary>
    public static SecretFileKind WorkerConfig { get; } = new("WorkerConfig", "NodeTool config file", 1024 * KiB,
        "Check the file's permissions, or set NODETOOL_CONFIG_PATH to another file.",
        notJsonErrorId: "WorkerConfigInvalid", missingFieldErrorId: "WorkerConfigInvalid");

    /// <summary>Files kept for a library (MSAL's token cache): bounded, but not parsed by NaraAuth.</summary>
    public static SecretFileKind Opaque { get; } = new("SecretFile", "secret file", 16 * 1024 * KiB,
        "Remove the file; it is recreated at the next login.");

    public string ErrorPrefix { get; }
    public string Description { get; }
    public long MaxBytes { get; }
    public string RecommendedAction { get; }
    public string NotJsonErrorId { get; }
    public string MissingFieldErrorId { get; }

    public NaraAuthException NotFound(string path, string? why = null) =>
        new(ErrorPrefix + "NotFound", NaraErrorCategory.ObjectNotFound,
            why == null ? $"No {Description} was found at '{path}'." : $"No {Description} was found at '{path}': {why}.",
            RecommendedAction, path);

    public NaraAuthException Unreadable(string path, string why, Exception? inner) =>
        new(ErrorPrefix + "Unreadable", NaraErrorCategory.ReadError,
            $"The {Description} '{path}' could not be read: {why}",
            "Check that the file belongs to you and is readable by you. " + RecommendedAction, path, inner);

    public NaraAuthException NotAFile(string path, string what) =>
        new(ErrorPrefix + "NotAFile", NaraErrorCategory.InvalidType,
            $"The {Description} '{path}' is {what}, not a regular file; it was not read.",
            "Point to a regular file. " + RecommendedAction, path);

    public NaraAuthException TooLarge(string path) =>
        new(ErrorPrefix + "TooLarge", NaraErrorCategory.LimitsExceeded,
            $"The {Description} '{path}' is larger than {MaxBytes / KiB} KiB, far more than such a file holds; it was not read.",
            "Check that the path names the right file. " + RecommendedAction, path);

    /// <summary>Never carries the parser's message: it can quote the content, which may be a secret.</summary>
    public NaraAuthException NotJson(string path, string? why = null) =>
        new(NotJsonErrorId, NaraErrorCategory.InvalidData,
            $"The {Description} '{path}' is not valid JSON" + (why == null ? "." : $": {why}."),
            RecommendedAction, path);

    /// <summary>Text that is not JSON at all; same id as <see cref="NotJson"/>, so scripts see one cause.</summary>
    public NaraAuthException PlainText(string path) =>
        new(NotJsonErrorId, NaraErrorCategory.InvalidData,
            $"The {Description} '{path}' holds plain text, not the JSON a {Description} is made of.",
            RecommendedAction, path);

    public NaraAuthException MissingField(string path, string what) =>
        new(MissingFieldErrorId, NaraErrorCategory.InvalidData,
            $"The {Description} '{path}' {what}.", RecommendedAction, path);
}
