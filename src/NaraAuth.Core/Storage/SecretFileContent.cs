using System.IO;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace NaraAuth.Core.Storage;

/// <summary>A secret file's content as UTF-8 (any byte order mark removed).</summary>
public sealed class SecretFileContent
{
    internal SecretFileContent(string path, byte[] utf8, UnixFileStatus? opened = null)
    {
        Path = path;
        Utf8 = utf8;
        Opened = opened;
    }

    /// <summary>Unix: fstat(2) of the file that was read (its owner and mode); null elsewhere.</summary>
    internal UnixFileStatus? Opened { get; }

    public string Path { get; }
    /// <summary>The content as UTF-8 without a byte order mark. Holds a secret: never format it.</summary>
    public byte[] Utf8 { get; }

    public string Text => new UTF8Encoding(false).GetString(Utf8);

    /// <summary>Content already in memory (a test, a parser of its own), with the reader's BOM handling.</summary>
    public static SecretFileContent FromBytes(string path, byte[] bytes) =>
        new(path, SecretFileReader.ToUtf8(bytes) ?? bytes);
}
