using System;
using System.IO;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Storage;

/// <summary>
/// The one way NaraAuth reads a file that holds a secret or points to one (token file, sessions,
/// deployment credentials, config.json, device ids, deployment.yaml). Every read is bounded:
/// only regular files are read (the open never blocks and never follows a link swapped in:
/// O_NONBLOCK|O_NOFOLLOW, then fstat(2) on the descriptor refuses a device such as /dev/zero, a
/// named pipe or a socket before a byte is read), and no more than the kind's size
/// cap is read. A file other users can read is said through the store's reporter, by the reader,
/// so no caller has to remember to pass a warning on. Text written by Windows PowerShell 5.1 (UTF-8 with BOM from Set-Content, UTF-16
/// from Out-File) is read like plain UTF-8. Errors carry the kind's stable ids, and never the
/// content: a parser's message can quote the secret.
/// </summary>
public static class SecretFileReader
{
    public static SecretFileContent Read(SecureFileStore store, string path, SecretFileKind kind)
    {
        var raw = ReadBytes(store, path, kind, out var opened);
        var utf8 = ToUtf8(raw) ?? throw kind.NotJson(path, "its text encoding is broken");
        store.WarnIfOthersCanRead(path);
        return new SecretFileContent(path, utf8, opened);
    }

    /// <summary>The file's bytes as they are (a binary secret such as a PFX), with the same bounds and error ids as <see cref="Read(SecureFileStore, string, SecretFileKind)"/>.</summary>
    public static byte[] ReadBytes(SecureFileStore store, string path, SecretFileKind kind) => ReadBytes(store, path, kind, out _);

    private static byte[] ReadBytes(SecureFileStore store, string path, SecretFileKind kind, out UnixFileStatus? opened)
    {
        try
        {
            return ReadRegularFile(path, kind.MaxBytes, store.IsWindows, out opened);
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
    }

    /// <summary>Reads the file and hands its content to the kind's own parser.</summary>
    public static T Read<T>(SecureFileStore store, string path, SecretFileKind kind, Func<SecretFileContent, T> parse) =>
        parse(Read(store, path, kind));

    /// <summary>Parses the content as JSON (else the kind's NotJson error) whose top level is an object (else its MissingField error).</summary>
    public static JsonDocument ParseObject(SecretFileContent content, SecretFileKind kind)
    {
        if (LooksLikePlainText(content.Utf8)) throw kind.PlainText(content.Path);
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
    /// Text that cannot begin any JSON document (a bare JWT, a note, a PEM key): called plain
    /// text, not "invalid JSON", so the person is not sent looking for a missing comma.
    /// </summary>
    private static bool LooksLikePlainText(byte[] utf8)
    {
        foreach (var b in utf8)
        {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
            return !(b == '{' || b == '[' || b == '"' || b == '-' || (b >= '0' && b <= '9') || b == 't' || b == 'f' || b == 'n');
        }
        return false;
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
    internal static byte[] ReadRegularFile(string path, long maxBytes, bool isWindows) => ReadRegularFile(path, maxBytes, isWindows, out _);

    /// <summary>
    /// As <see cref="ReadRegularFile(string, long, bool)"/>; on Unix <paramref name="opened"/> is what
    /// fstat(2) said about the file actually read (owner, mode), so a caller judging who wrote it
    /// judges that file and not whatever the path names a moment later.
    /// </summary>
    internal static byte[] ReadRegularFile(string path, long maxBytes, bool isWindows, out UnixFileStatus? opened)
    {
        opened = null;
        if (!isWindows && UnixFileApi.IsAvailable) return ReadUnix(path, maxBytes, out opened);

        if (Directory.Exists(path)) throw new SecretFileProblem(SecretFileProblem.Kind.Folder, "a folder");
        if (!File.Exists(path)) throw new SecretFileProblem(SecretFileProblem.Kind.Missing, "not found");
        try
        {
            // FileShare.Delete: on Windows a writer may rename a new file over this one while it is read.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1);
            // Windows has no stat before open here: a pipe or device opens without blocking but
            // cannot seek, and is refused before the first read.
            if (!stream.CanSeek) throw new SecretFileProblem(SecretFileProblem.Kind.NotRegular, "not a regular file (a pipe or a device)");
            return ReadBounded(stream, maxBytes);
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
    /// Unix: the file is opened with O_NONBLOCK|O_NOFOLLOW, so a named pipe swapped in after any
    /// check cannot block the open, and a link swapped in for the final name is not followed; only
    /// then fstat(2) on the descriptor decides whether it is a regular file, and nothing but a
    /// regular file is read. A link of this user's or root's own is resolved first, as before.
    /// </summary>
    private static byte[] ReadUnix(string path, long maxBytes, out UnixFileStatus? opened)
    {
        opened = null;
        string target;
        try
        {
            var link = UnixFileApi.LinkStatus(path);
            if (link is not { } l) throw new SecretFileProblem(SecretFileProblem.Kind.Missing, "not found");
            target = Path.GetFullPath(path);
            if (l.IsSymlink)
            {
                // A link another user owns can be pointed at any file that user chooses, at any
                // moment: its target is not this user's credential (OpenSSH refuses such links too).
                if (l.Owner != UnixFileApi.EffectiveUserId() && l.Owner != 0)
                    throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, $"it is a symbolic link owned by another user (uid {l.Owner}), who could point it at any file.");
                if (UnixFileApi.FollowedStatus(path) is null) throw new SecretFileProblem(SecretFileProblem.Kind.Missing, "not found");
                target = UnixFileApi.RealPath(path);
            }
        }
        catch (IOException e)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, e.Message, e);
        }

        int fd;
        try
        {
            fd = UnixHandleApi.Open(target, UnixHandleApi.ReadOnly | UnixHandleApi.NonBlocking | UnixHandleApi.NoFollow | UnixHandleApi.CloseOnExec);
        }
        catch (UnixCallException e) when (e.Errno == UnixHandleApi.NotFoundErrno || e.Errno == UnixHandleApi.NotDirectoryErrno)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Missing, "not found", e);
        }
        catch (UnixCallException e) when (e.Errno == UnixHandleApi.LoopErrno)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, "it was replaced by a symbolic link while it was being opened", e);
        }
        catch (IOException e)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, e.Message, e);
        }

        using var handle = new SafeFileHandle(new IntPtr(fd), ownsHandle: true);
        UnixFileStatus status;
        try
        {
            status = UnixHandleApi.Status(fd, $"'{path}'");
        }
        catch (IOException e)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, e.Message, e);
        }
        if (status.IsDirectory) throw new SecretFileProblem(SecretFileProblem.Kind.Folder, "a folder");
        if (!status.IsRegularFile) throw new SecretFileProblem(SecretFileProblem.Kind.NotRegular, status.TypeName);
        if (status.Size > maxBytes) throw new SecretFileProblem(SecretFileProblem.Kind.TooLarge, "too large");
        try
        {
            // As a FileShare.Read open would: a file held exclusively by its writer is not read half-written.
            if (!UnixHandleApi.TryLockShared(fd)) throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, "another process holds it exclusively");
        }
        catch (IOException e)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, e.Message, e);
        }
        opened = status;
        try
        {
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            return ReadBounded(stream, maxBytes);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw new SecretFileProblem(SecretFileProblem.Kind.Unreadable, e.Message, e);
        }
    }

    /// <summary>Stops one byte past the cap: the file may have grown since it was inspected.</summary>
    private static byte[] ReadBounded(Stream stream, long maxBytes)
    {
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

