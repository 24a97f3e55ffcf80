using System;
using System.IO;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace NaraAuth.Core.Storage;

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
