using System.IO;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Storage;

/// <summary>A failed descriptor-relative call, with its errno for the callers that tell causes apart.</summary>
internal sealed class UnixCallException : IOException
{
    public UnixCallException(int errno, string message) : base(message)
    {
        Errno = errno;
    }

    public int Errno { get; }
}
