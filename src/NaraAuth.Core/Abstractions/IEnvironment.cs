using System.IO;
using System.Runtime.InteropServices;

namespace NaraAuth.Core.Abstractions;

/// <summary>
/// Environment seam: variables, well-known folders and the OS. Core never reads
/// Environment.* directly so tests can run in parallel with their own values.
/// </summary>
public interface IEnvironment
{
    string? GetVariable(string name);
    string MachineName { get; }
    string UserName { get; }
    /// <summary>The user's home (~ on Unix, %USERPROFILE% on Windows).</summary>
    string HomeDirectory { get; }
    /// <summary>%APPDATA% on Windows, ~/.config (or XDG_CONFIG_HOME) elsewhere.</summary>
    string ConfigDirectory { get; }
    bool IsWindows { get; }
}

