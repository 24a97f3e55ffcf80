using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>One file a logout removes.</summary>
public sealed class LogoutFile
{
    public LogoutFile(string kind, string path, bool exists)
    {
        Kind = kind;
        Path = path;
        Exists = exists;
    }

    /// <summary>Token, Bundle or DeploymentCredentials.</summary>
    public string Kind { get; }
    public string Path { get; }
    public bool Exists { get; }
    public bool Removed { get; internal set; }
}

/// <summary>
/// The logout of the Edge Connector (the counterpart of Connect-EdgeConnector): removes the
/// stored token, the default bundle beside it and, when asked, a saved deployment credentials
/// file. The token file is found by the same rules as every other cmdlet (docs/protocol.md 1.4).
/// Nothing is read into a message: a file's content can be a secret.
/// </summary>
public sealed class EdgeConnectorLogout
{
    public const string TokenKind = "Token";
    public const string BundleKind = "Bundle";
    public const string CredentialsKind = "DeploymentCredentials";

    private EdgeConnectorLogout(TokenLocation location, IReadOnlyList<LogoutFile> files)
    {
        Location = location;
        Files = files;
    }

    public TokenLocation Location { get; }

    /// <summary>Every file the logout is about, present or not, token first.</summary>
    public IReadOnlyList<LogoutFile> Files { get; }

    /// <summary>The files that exist and would be removed.</summary>
    public IEnumerable<LogoutFile> Present => Files.Where(f => f.Exists);

    /// <summary>
    /// Resolves the files. Unless <paramref name="force"/>, a file that exists but is not what its
    /// name says (a token file without a token, a credentials file without credentials) is an
    /// error, so a mistyped -Path cannot delete somebody's unrelated file.
    /// </summary>
    public static EdgeConnectorLogout Plan(CoreContext context, string? tokenPath, string? installPath, string? deploymentCredentialsPath, bool force)
    {
        var location = TokenLocation.Resolve(context.Environment, tokenPath, installPath, context.CurrentDirectory);
        var files = new List<LogoutFile>
        {
            new(TokenKind, location.Path, File.Exists(location.Path)),
            new(BundleKind, location.BundlePath, File.Exists(location.BundlePath)),
        };
        if (!string.IsNullOrWhiteSpace(deploymentCredentialsPath))
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(context.CurrentDirectory, deploymentCredentialsPath));
            files.Add(new LogoutFile(CredentialsKind, path, File.Exists(path)));
        }

        if (Directory.Exists(location.Path))
            throw NotThatFile(location.Path, "is a folder, not a token file", "Pass the token file itself to -Path.");
        if (!force)
        {
            foreach (var file in files.Where(f => f.Exists))
                CheckContent(context.Store, file);
        }
        return new EdgeConnectorLogout(location, files);
    }

    /// <summary>Removes the present files; a file gone in the meantime is fine (idempotent).</summary>
    public void RemoveAll()
    {
        foreach (var file in Present)
        {
            try
            {
                File.Delete(file.Path);
                file.Removed = true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new NaraAuthException("LogoutFileNotRemoved",
                    e is UnauthorizedAccessException ? NaraErrorCategory.PermissionDenied : NaraErrorCategory.WriteError,
                    $"The {Describe(file.Kind)} '{file.Path}' could not be removed: {e.Message}",
                    "Check that the file belongs to you and is not open in another program, then run Disconnect-EdgeConnector again.",
                    file.Path, e);
            }
        }
    }

    public static string Describe(string kind) => kind switch
    {
        TokenKind => "token file",
        BundleKind => "default bundle",
        _ => "deployment credentials file",
    };

    private static void CheckContent(SecureFileStore store, LogoutFile file)
    {
        switch (file.Kind)
        {
            case TokenKind:
                try
                {
                    TokenFile.Read(store, file.Path);
                }
                catch (NaraAuthException e) when (e.ErrorId == SecretFileKind.TokenFile.UnreadableId)
                {
                    // Unreadable is not a reason to keep a credential the person wants gone; deleting decides.
                }
                catch (NaraAuthException)
                {
                    throw NotThatFile(file.Path, "holds no Edge Connector token", $"Check -Path (or {EnvironmentVariables.AuthTokenPath}, config.json); add -Force to remove the file anyway.");
                }
                break;
            case CredentialsKind:
                try
                {
                    DeploymentCredentials.ReadFile(store, file.Path);
                }
                catch (NaraAuthException e) when (e.ErrorId == SecretFileKind.DeploymentCredentials.UnreadableId)
                {
                    // Unreadable: as above.
                }
                catch (NaraAuthException)
                {
                    throw NotThatFile(file.Path, "holds no deployment credentials", "Check -DeploymentCredentialsPath; add -Force to remove the file anyway.");
                }
                break;
        }
    }

    private static NaraAuthException NotThatFile(string path, string what, string action) =>
        new("LogoutFileUnrecognized", NaraErrorCategory.InvalidData, $"Nothing was removed: '{path}' {what}.", action, path);
}
