using System;
using System.IO;
using System.Text;
using System.Text.Json;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Storage;

/// <summary>A secret file's content as UTF-8 (any byte order mark removed).</summary>
public sealed class SecretFileContent
{
    internal SecretFileContent(string path, byte[] utf8)
    {
        Path = path;
        Utf8 = utf8;
    }

    public string Path { get; }
    /// <summary>The content as UTF-8 without a byte order mark. Holds a secret: never format it.</summary>
    public byte[] Utf8 { get; }

    public string Text => new UTF8Encoding(false).GetString(Utf8);

    /// <summary>Content already in memory (a test, a parser of its own), with the reader's BOM handling.</summary>
    public static SecretFileContent FromBytes(string path, byte[] bytes) =>
        new(path, SecretFileReader.ToUtf8(bytes) ?? bytes);
}

/// <summary>
/// The one way NaraAuth reads a file that holds a secret or points to one (token file, sessions,
/// deployment credentials, config.json, device ids, deployment.yaml). Every read is bounded:
/// only regular files are opened (a device such as /dev/zero, a named pipe that would block
/// forever, a socket are refused after stat(2), before open), and no more than the kind's size
/// cap is read. A file other users can read is said through the store's reporter, by the reader,
/// so no caller has to remember to pass a warning on. Text written by Windows PowerShell 5.1 (UTF-8 with BOM from Set-Content, UTF-16
/// from Out-File) is read like plain UTF-8. Errors carry the kind's stable ids, and never the
/// content: a parser's message can quote the secret.
/// </summary>
public static class SecretFileReader
{
    public static SecretFileContent Read(SecureFileStore store, string path, SecretFileKind kind)
    {
        byte[] raw;
        try
        {
            raw = ReadRegularFile(path, kind.MaxBytes, store.IsWindows);
        }
        catch (SecretFileProblem problem)
        {
            throw problem.Reason switch
            {
                SecretFileProblem.Kind.Missing => kind.NotFound(path),
                SecretFileProblem.Kind.Folder => kind.NotFound(path, "it is a folder, not a file"),
                SecretFileProblem.Kind.NotRegular => kind.NotAFile(path, problem.Message),
                SecretFileProblem.Kind.TooLarge => kind.TooLarge(path),
                _ => kind.Unreadable(path, problem.Message, problem.InnerException),
            };
        }
        var utf8 = ToUtf8(raw) ?? throw kind.NotJson(path, "its text encoding is broken");
        store.WarnIfOthersCanRead(path);
        return new SecretFileContent(path, utf8);
    }

    /// <summary>Reads the file and hands its content to the kind's own parser.</summary>
    public static T Read<T>(SecureFileStore store, string path, SecretFileKind kind, Func<SecretFileContent, T> parse) =>
        parse(Read(store, path, kind));

    /// <summary>Parses the content as JSON (else the kind's NotJson error) whose top level is an object (else its MissingField error).</summary>
    public static JsonDocument ParseObject(SecretFileContent content, SecretFileKind kind)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content.Utf8);
        }
        catch (JsonException e)
        {
            // Only the position: the parser's own message quotes the offending text.
            throw kind.NotJson(content.Path, e.LineNumber is { } line ? $"the syntax breaks at line {line + 1}" : null);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw kind.MissingField(content.Path, "is not a JSON object with the expected fields");
        }
        return document;
    }

    /// <summary>
    /// Whether <paramref name="parse"/> takes the content without error: how the store decides that
    /// an existing file is of the kind about to be written, and so may be replaced.
    /// </summary>
    public static bool Accepts<T>(SecretFileContent content, Func<SecretFileContent, T> parse)
    {
        try
        {
            parse(content);
            return true;
        }
        catch (NaraAuthException)
        {
            return false;
        }
    }

    /// <summary>
    /// The raw bytes of a regular file, at most <paramref name="maxBytes"/>. Never opens
    /// anything but a regular file, so it cannot block on a FIFO or stream a device forever.
    /// </summary>
    internal static byte[] ReadRegularFile(string path, long maxBytes, bool isWindows)
    {
        if (!isWindows && UnixFileApi.IsAvailable)
        {
            UnixFileStatus? status;
            try
            {
                // A link another user owns can be pointed at any file that user chooses, at any
                // moment: its target is not this user's credential (OpenSSH refuses such links too).
                if (UnixFileApi.LinkStatus(path) is { IsSymlink: true } link && link.Owner != UnixFileApi.EffectiveUserId() && link.Owner != 0)
                    throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, $"it is a symbolic link owned by another user (uid {link.Owner}), who could point it at any file.");
                status = UnixFileApi.FollowedStatus(path);
            }
            catch (IOException e)
            {
                throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, e.Message, e);
            }
            if (status is not { } s) throw new SecretFileProblem(SecretFileProblem.Kind.Missing, "not found");
            if (s.IsDirectory) throw new SecretFileProblem(SecretFileProblem.Kind.Folder, "a folder");
            if (!s.IsRegularFile) throw new SecretFileProblem(SecretFileProblem.Kind.NotRegular, s.TypeName);
            if (s.Size > maxBytes) throw new SecretFileProblem(SecretFileProblem.Kind.TooLarge, "too large");
        }
        else
        {
            if (Directory.Exists(path)) throw new SecretFileProblem(SecretFileProblem.Kind.Folder, "a folder");
            if (!File.Exists(path)) throw new SecretFileProblem(SecretFileProblem.Kind.Missing, "not found");
        }

        try
        {
            // FileShare.Delete: on Windows a writer may rename a new file over this one while it is read.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1);
            // Windows has no stat before open here: a pipe or device opens without blocking but
            // cannot seek, and is refused before the first read.
            if (!stream.CanSeek) throw new SecretFileProblem(SecretFileProblem.Kind.NotRegular, "not a regular file (a pipe or a device)");
            // Stop one byte past the cap: the file may have grown since stat, or be a device
            // that reports no size.
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (true)
            {
                var want = (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length);
                if (want <= 0) throw new SecretFileProblem(SecretFileProblem.Kind.TooLarge, "too large");
                var read = stream.Read(chunk, 0, want);
                if (read == 0) break;
                buffer.Write(chunk, 0, read);
            }
            Array.Clear(chunk, 0, chunk.Length);
            return buffer.ToArray();
        }
        catch (FileNotFoundException e)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Missing, "not found", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Missing, "not found", e);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, e.Message, e);
        }
    }

    /// <summary>
    /// UTF-8 without a byte order mark, from UTF-8 with or without one, UTF-16 LE/BE or UTF-32 LE/BE
    /// with theirs. Null when the bytes are not valid in the encoding their mark announces.
    /// </summary>
    public static byte[]? ToUtf8(byte[] raw)
    {
        Encoding? source = null;
        var skip = 0;
        if (StartsWith(raw, 0xEF, 0xBB, 0xBF)) skip = 3;
        else if (StartsWith(raw, 0xFF, 0xFE, 0x00, 0x00)) { source = new UTF32Encoding(false, false, true); skip = 4; }
        else if (StartsWith(raw, 0x00, 0x00, 0xFE, 0xFF)) { source = new UTF32Encoding(true, false, true); skip = 4; }
        else if (StartsWith(raw, 0xFF, 0xFE)) { source = new UnicodeEncoding(false, false, true); skip = 2; }
        else if (StartsWith(raw, 0xFE, 0xFF)) { source = new UnicodeEncoding(true, false, true); skip = 2; }

        if (source == null)
        {
            if (skip == 0) return raw;
            var rest = new byte[raw.Length - skip];
            Buffer.BlockCopy(raw, skip, rest, 0, rest.Length);
            return rest;
        }
        try
        {
            var text = source.GetString(raw, skip, raw.Length - skip);
            return new UTF8Encoding(false).GetBytes(text);
        }
        catch (ArgumentException)
        {
            // DecoderFallbackException: an odd byte count or a broken surrogate pair.
            return null;
        }
    }

    private static bool StartsWith(byte[] bytes, params byte[] prefix)
    {
        if (bytes.Length < prefix.Length) return false;
        for (var i = 0; i < prefix.Length; i++)
            if (bytes[i] != prefix[i]) return false;
        return true;
    }
}

/// <summary>Why a bounded read did not return content; mapped to each kind's error ids.</summary>
internal sealed class SecretFileProblem : Exception
{
    public enum Kind
    {
        Missing,
        Folder,
        NotRegular,
        TooLarge,
        Unreadable,
    }

    public SecretFileProblem(Kind reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public Kind Reason { get; }
}
