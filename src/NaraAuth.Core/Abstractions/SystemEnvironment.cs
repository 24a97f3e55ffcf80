using System;
using System.IO;
using System.Runtime.InteropServices;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Abstractions;

public sealed class SystemEnvironment : IEnvironment
{
    public static readonly SystemEnvironment Instance = new();

    public string? GetVariable(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public string MachineName => Environment.MachineName;
    public string UserName => Environment.UserName;
    public bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    public string HomeDirectory
    {
        get
        {
            // HOME first on Unix so that sudo/CI overrides behave as the shell does.
            var home = IsWindows ? GetVariable(EnvironmentVariables.UserProfile) : GetVariable(EnvironmentVariables.Home);
            return home ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }
    }

    public string ConfigDirectory
    {
        get
        {
            if (IsWindows)
                return GetVariable(EnvironmentVariables.AppData) ?? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
            return GetVariable(EnvironmentVariables.XdgConfigHome) ?? Path.Combine(HomeDirectory, ".config");
        }
    }
}
