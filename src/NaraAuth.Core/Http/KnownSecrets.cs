using System.Collections.Generic;
using System.Linq;

namespace NaraAuth.Core.Http;

/// <summary>
/// Secrets the module has handled in this process: sent as a credential or read from a credential
/// file or the environment. They are in memory already; keeping
/// them here lets every later message be redacted against them. Bounded, newest kept.
/// </summary>
public static class KnownSecrets
{
    private const int Capacity = 64;
    private static readonly object Gate = new();
    private static readonly LinkedList<string> Values = new();

    public static void Remember(string? secret)
    {
        if (secret == null) return;
        var value = secret.Trim();
        if (value.Length < SecretRedactor.MinimumLength) return;
        lock (Gate)
        {
            Values.Remove(value);
            Values.AddFirst(value);
            while (Values.Count > Capacity) Values.RemoveLast();
        }
    }

    internal static string[] Snapshot()
    {
        lock (Gate) return Values.ToArray();
    }
}
