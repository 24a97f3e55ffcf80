using System.IO;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Storage;

/// <summary>One entry of the user database (getpwnam(3)/getpwuid(3)): name, uid and primary group.</summary>
internal readonly struct UnixAccount
{
    public UnixAccount(string name, uint uid, uint gid)
    {
        Name = name;
        Uid = uid;
        Gid = gid;
    }

    public string Name { get; }
    public uint Uid { get; }
    public uint Gid { get; }
}
