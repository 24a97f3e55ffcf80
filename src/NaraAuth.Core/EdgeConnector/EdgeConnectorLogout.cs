using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Logout;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// The logout of the Edge Connector (the counterpart of Connect-EdgeConnector): removes the
/// stored token, the default bundle beside it and, when asked, a saved deployment credentials
/// file. The token file is found by the same rules as every other cmdlet (docs/protocol.md 1.4).
/// The confirmation names every present file and what it is. Nothing is read into a message: a
/// file's content can be a secret.
/// </summary>
public sealed class EdgeConnectorLogout : LogoutPlan
{
    public const string TokenKind = "Token";
    public const string BundleKind = "Bundle";
    public const string CredentialsKind = "DeploymentCredentials";

    private EdgeConnectorLogout(TokenLocation location, IReadOnlyList<LogoutFile> files, IReporter reporter) : base(files, reporter)
    {
        Location = location;
    }

    public TokenLocation Location { get; }

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
        return new EdgeConnectorLogout(location, files, context.Reporter);
    }

    /// <summary>The present files, token first.</summary>
    public override string Target => string.Join(", ", Present.Select(f => f.Path));

    protected override string DescribeAction(IReadOnlyList<LogoutFile> present) =>
        "Remove the " + string.Join(" and the ", present.Select(f => Describe(f.Kind)));

    protected override string NothingToRemove =>
        $"Not connected: there is no token file at '{Location.Path}' (chosen by {Location.Source}) and nothing else to remove.";

    protected override string RemovedNote(LogoutFile file) => $"Removed the {Describe(file.Kind)} '{file.Path}'.";

    protected override NaraAuthException NotRemoved(LogoutFile file, NaraErrorCategory category, Exception cause) =>
        new("LogoutFileNotRemoved", category,
            $"The {Describe(file.Kind)} '{file.Path}' could not be removed: {cause.Message}",
            "Check that the file belongs to you and is not open in another program, then run Disconnect-EdgeConnector again.",
            file.Path, cause);

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
