using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace NaraAuth.Core.Storage;

/// <summary>What lstat(2) or stat(2) says about one path: type, permission bits and owner.</summary>
internal readonly struct UnixFileStatus
{
    public const int TypeMask = 0xF000;
    public const int TypeFifo = 0x1000;
    public const int TypeCharDevice = 0x2000;
    public const int TypeDirectory = 0x4000;
    public const int TypeBlockDevice = 0x6000;
    public const int TypeRegular = 0x8000;
    public const int TypeSymlink = 0xA000;
    public const int TypeSocket = 0xC000;
    public const int Sticky = 0x200;       // S_ISVTX
    public const int GroupWrite = 0x10;    // 0020
    public const int OtherWrite = 0x2;     // 0002

    public UnixFileStatus(int mode, uint owner, long size, uint group = 0, long modifiedSeconds = 0)
    {
        Mode = mode;
        Owner = owner;
        Size = size;
        Group = group;
        ModifiedSeconds = modifiedSeconds;
    }

    /// <summary>st_mtime in seconds since 1970 (filled by fstat through a handle only).</summary>
    public long ModifiedSeconds { get; }

    /// <summary>Type and permission bits, as st_mode.</summary>
    public int Mode { get; }
    public uint Owner { get; }
    public uint Group { get; }
    public long Size { get; }
    public int Permissions => Mode & 0xFFF;
    public int Type => Mode & TypeMask;
    public bool IsDirectory => Type == TypeDirectory;
    public bool IsRegularFile => Type == TypeRegular;
    public bool IsSymlink => Type == TypeSymlink;

    public string TypeName => Type switch
    {
        TypeFifo => "a named pipe (FIFO)",
        TypeCharDevice => "a character device",
        TypeBlockDevice => "a block device",
        TypeDirectory => "a folder",
        TypeSymlink => "a symbolic link",
        TypeSocket => "a socket",
        TypeRegular => "a regular file",
        _ => "not a regular file",
    };
}
