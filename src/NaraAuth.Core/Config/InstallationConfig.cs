using System;
using System.IO;
using System.Text.Json;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.Config;

/// <summary>
/// config.json in the Edge Connector installation directory (docs/protocol.md 1.4). It says where
/// the token lives and which platform it is sent to, so it is obeyed only when nobody but the
/// invoking user or root could have written it (docs/decisions/installation-trust.md): the file
/// read is owned by one of them and writable by nobody else, and its folder and every folder on
/// the way pass the folder rule of the secure store. Anything else is refused with
/// <c>ConfigFileUntrusted</c>, never read for a setting.
/// </summary>
public sealed class InstallationConfig
{
    public const string FileName = "config.json";
    public const string UntrustedErrorId = "ConfigFileUntrusted";

    public string? AuthTokenPath { get; private set; }
    public string? PlatformUrl { get; private set; }
    /// <summary>The file it came from, or null when there was none.</summary>
    public string? SourcePath { get; private set; }

    public static InstallationConfig Load(string installationDirectory) => Load(installationDirectory, SecureFileStore.Default);

    public static InstallationConfig Load(string installationDirectory, SecureFileStore store)
    {
        var path = Path.Combine(installationDirectory, FileName);
        var config = new InstallationConfig();
        if (!File.Exists(path) && !IsLink(path, store)) return config;
        config.SourcePath = path;
        var kind = SecretFileKind.InstallationConfig;
        var content = SecretFileReader.Read(store, path, kind);
        if (WhyUntrusted(path, installationDirectory, content, store) is { } problem) throw Untrusted(path, problem);
        using var document = SecretFileReader.ParseObject(content, kind);
        config.AuthTokenPath = ReadString(document.RootElement, "authTokenPath", path);
        config.PlatformUrl = ReadString(document.RootElement, "platformUrl", path);
        return config;
    }

    private static bool IsLink(string path, SecureFileStore store) =>
        !store.IsWindows && UnixFileApi.IsAvailable && UnixFileApi.LinkStatus(path) is { IsSymlink: true };

    /// <summary>Null when the file that was read, and its folders, could only have been written by this user or root.</summary>
    private static string? WhyUntrusted(string path, string installationDirectory, SecretFileContent content, SecureFileStore store)
    {
        if (store.IsWindows)
        {
            var me = WindowsAclApplier.CurrentUserSid();
            var fileProblem = WindowsFolderAcl.SettingsFileProblem(path, WindowsAclApplier.ReadFileSddl(path), me);
            if (fileProblem != null) return fileProblem;
        }
        else if (content.Opened is { } opened)
        {
            if (JudgeUnixFile(path, opened, UnixFileApi.EffectiveUserId()) is { } fileProblem) return fileProblem;
        }
        return store.FolderProblem(installationDirectory, isTarget: true);
    }

    /// <summary>The Unix rule for the settings file itself, on what fstat(2) said about the file read.</summary>
    internal static string? JudgeUnixFile(string path, UnixFileStatus status, uint me)
    {
        if (status.Owner != me && status.Owner != 0)
            return $"'{path}' belongs to {FileOwner.OfUid(status.Owner).Name} (uid {status.Owner}), not to you or root";
        if ((status.Permissions & (UnixFileStatus.GroupWrite | UnixFileStatus.OtherWrite)) != 0)
            return $"'{path}' can be changed by other users (mode {Convert.ToString(status.Permissions, 8)})";
        return null;
    }

    private static NaraAuthException Untrusted(string path, string problem) =>
        new(UntrustedErrorId, NaraErrorCategory.SecurityError,
            $"The installation's configuration was not used: {problem}. A config.json another account can change could send the token, and the credentials used with it, anywhere.",
            $"If the installation is yours, make '{path}' belong to you or root and writable only by its owner (for example 'sudo chown root: \"{path}\" && sudo chmod 644 \"{path}\"'); otherwise pass -Path (or {EnvironmentVariables.AuthTokenPath}) and -BaseUrl (or {EnvironmentVariables.NaraBaseUrl}) so config.json is not needed.",
            path);

    private static string? ReadString(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw SecretFileKind.InstallationConfig.MissingField(path, $"has a '{name}' that is not a string");
        var text = value.GetString();
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }
}
