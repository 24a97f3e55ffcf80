using System;
using System.IO;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Storage;
using NaraAuth.Core.Tokens;

namespace NaraAuth.Core.EdgeConnector;

/// <summary>
/// docs/protocol.md 1.4: a -Token argument that names an existing file is read as a token file (its
/// 'token' field); anything else is taken as a raw JWT.
/// </summary>
public static class TokenInput
{
    /// <returns>The JWT, and the file it came from (null for a raw JWT).</returns>
    public static (string Jwt, string? SourceFile) Resolve(string value, string currentDirectory, SecureFileStore store) =>
        Resolve(value, currentDirectory, store, out _);

    /// <param name="permissionWarning">Set when the value named a token file that other users can read.</param>
    public static (string Jwt, string? SourceFile) Resolve(string value, string currentDirectory, SecureFileStore store, out string? permissionWarning) =>
        Resolve(value, text => Path.GetFullPath(Path.Combine(currentDirectory, text)), store, out permissionWarning);

    /// <param name="fullPathOf">
    /// The file system path a value names, as the caller's shell reads it ('~', drives, its current
    /// location), or null when it names none; it may throw a NaraAuthException for a path it refuses.
    /// </param>
    public static (string Jwt, string? SourceFile) Resolve(string value, Func<string, string?> fullPathOf, SecureFileStore store, out string? permissionWarning)
    {
        permissionWarning = null;
        var text = value.Trim();
        if (text.Length == 0) throw CredentialText.EmptyToken("Pass a token file or the JWT, as a SecureString or a string.");
        if (LooksLikePath(text))
        {
            string? full = null;
            try
            {
                full = fullPathOf(text);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
            }
            if (full != null && File.Exists(full))
            {
                try
                {
                    var file = TokenFile.Read(store, full, out permissionWarning);
                    return (file.Token, full);
                }
                catch (NaraAuthException e) when (e.ErrorId == SecretFileKind.TokenFile.NotJsonErrorId || e.ErrorId == SecretFileKind.TokenFile.MissingFieldErrorId)
                {
                    throw new NaraAuthException(e.ErrorId, e.Category, e.Message, SecretFileKind.GivenTokenFileAction, e.Target, e);
                }
            }
            if (full != null && Directory.Exists(full))
            {
                throw new NaraAuthException("TokenFileNotFound", NaraErrorCategory.ObjectNotFound,
                    $"'{full}' is a folder, not a token file.", "Pass the token file itself, or the raw JWT.", full);
            }
        }
        // A JWT has exactly two dots and no path separators; report a missing file rather than
        // "malformed JWT" when the value clearly meant a path.
        if (text.IndexOfAny(new[] { '/', '\\' }) >= 0 || text.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            // Never echo the value: it may be a mistyped secret.
            throw new NaraAuthException("TokenFileNotFound", NaraErrorCategory.ObjectNotFound,
                "The -Token value looks like a file path, but no such file exists.",
                "Check the path, or pass the raw JWT.");
        }
        return (text, null);
    }

    private static bool LooksLikePath(string text) => text.Length > 0 && text.Length < 4096 && text.IndexOf('\0') < 0;
}
