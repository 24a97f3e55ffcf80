using System;
using System.ComponentModel;
using System.Diagnostics;
using NaraAuth.Core.Abstractions;

namespace NaraAuth.Core.Oidc.Browser;

/// <summary>
/// Starts the system browser. BROWSER (the Unix convention: a command, "%s" standing for the URL,
/// else the URL appended) wins everywhere; otherwise the shell on Windows, open on macOS and
/// xdg-open on Linux when a display exists. On an SSH session without a display it reports
/// failure, so the caller prints the URL instead.
/// </summary>
public sealed class SystemBrowserLauncher : IBrowserLauncher
{
    private readonly IEnvironment _environment;

    public SystemBrowserLauncher(IEnvironment environment)
    {
        _environment = environment;
    }

    public bool TryOpen(Uri url, out string? problem)
    {
        problem = null;
        var target = url.AbsoluteUri;
        try
        {
            if (_environment.GetVariable("BROWSER") is { } browser)
            {
                // BROWSER may list fallbacks separated by ':'; the first one is used.
                var command = browser.Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries)[0].Trim();
                var (file, arguments) = SplitCommand(command);
                arguments = arguments.Contains("%s") ? arguments.Replace("%s", Quote(target)) : (arguments + " " + Quote(target)).Trim();
                Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false });
                return true;
            }
            if (_environment.IsWindows)
            {
                Start(new ProcessStartInfo(target) { UseShellExecute = true });
                return true;
            }
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX))
            {
                Start(new ProcessStartInfo("open", Quote(target)) { UseShellExecute = false });
                return true;
            }
            if (_environment.GetVariable("DISPLAY") == null && _environment.GetVariable("WAYLAND_DISPLAY") == null)
            {
                problem = "no graphical display is available (DISPLAY and WAYLAND_DISPLAY are not set)";
                return false;
            }
            Start(new ProcessStartInfo("xdg-open", Quote(target)) { UseShellExecute = false });
            return true;
        }
        catch (Exception e) when (e is Win32Exception || e is InvalidOperationException || e is System.IO.FileNotFoundException)
        {
            problem = "the browser could not be started: " + e.Message;
            return false;
        }
    }

    private static void Start(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = false;
        info.RedirectStandardError = false;
        info.CreateNoWindow = true;
        // Not awaited: the browser lives on after the login.
        using var process = Process.Start(info);
    }

    internal static (string File, string Arguments) SplitCommand(string command)
    {
        command = command.Trim();
        if (command.StartsWith("\"", StringComparison.Ordinal))
        {
            var end = command.IndexOf('"', 1);
            if (end > 0) return (command.Substring(1, end - 1), command.Substring(end + 1).Trim());
        }
        var space = command.IndexOf(' ');
        return space < 0 ? (command, string.Empty) : (command.Substring(0, space), command.Substring(space + 1).Trim());
    }

    internal static string Quote(string value) => "\"" + value.Replace("\"", "%22") + "\"";
}
