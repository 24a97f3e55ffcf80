using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Browser;

/// <summary>
/// Starts the user's browser the way command-line tools conventionally do: the BROWSER
/// environment variable first (a list of commands separated by the path separator, each may
/// contain %s for the URL), then the platform's opener: the shell on Windows, open(1) on macOS,
/// xdg-open and friends on Linux when a display is present. Never waits for the browser.
/// </summary>
public sealed class SystemBrowserLauncher : IBrowserLauncher
{
    private readonly IEnvironment _environment;

    public SystemBrowserLauncher(IEnvironment environment)
    {
        _environment = environment;
    }

    public BrowserLaunchResult Open(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return BrowserLaunchResult.Failure("the login URL is not an http(s) URL, so it is not opened automatically");

        var failures = new List<string>();
        if (_environment.GetVariable(EnvironmentVariables.Browser) is { } browsers)
        {
            foreach (var entry in browsers.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                var (file, arguments) = BuildCommand(entry.Trim(), uri.AbsoluteUri);
                if (file.Length == 0) continue;
                var (program, detachedArguments) = Detached(file, arguments);
                if (TryStart(program, detachedArguments, useShell: false, out var error)) return BrowserLaunchResult.Success(file);
                failures.Add($"{file}: {error}");
            }
        }

        foreach (var (file, arguments, useShell) in PlatformDefaults(uri.AbsoluteUri))
        {
            var (program, detachedArguments) = useShell ? (file, arguments) : Detached(file, arguments);
            if (TryStart(program, detachedArguments, useShell, out var error)) return BrowserLaunchResult.Success(useShell ? "the default browser" : file);
            failures.Add($"{file}: {error}");
        }

        if (failures.Count == 0)
            return BrowserLaunchResult.Failure("no browser is configured (BROWSER is not set and no graphical session was found)");
        return BrowserLaunchResult.Failure("no browser could be started (" + string.Join("; ", failures) + ")");
    }

    private IEnumerable<(string File, string Arguments, bool UseShell)> PlatformDefaults(string url)
    {
        if (_environment.IsWindows)
        {
            yield return (url, string.Empty, true);
            yield break;
        }
        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            yield return ("open", Quote(url), false);
            yield break;
        }
        // Without a display (SSH, containers, servers) a Linux opener would start a text browser
        // or fail silently; printing the URL is the honest answer there.
        if (_environment.GetVariable(EnvironmentVariables.Display) == null && _environment.GetVariable(EnvironmentVariables.WaylandDisplay) == null) yield break;
        foreach (var opener in new[] { "xdg-open", "sensible-browser", "x-www-browser", "gio" })
        {
            if (FindOnPath(opener) is not { } path) continue;
            yield return (path, opener == "gio" ? "open " + Quote(url) : Quote(url), false);
        }
    }

    /// <summary>
    /// On Unix the browser starts in a session of its own (setsid), outside the console's process
    /// group: Ctrl+C in PowerShell sends SIGINT to that group and must not close the browser the
    /// person is logging in with. Windows GUI browsers do not share the console, so nothing changes there.
    /// </summary>
    private (string File, string Arguments) Detached(string file, string arguments)
    {
        if (_environment.IsWindows) return (file, arguments);
        // A program that does not exist must fail here, not inside setsid after a "successful" start.
        var exists = file.IndexOf(Path.DirectorySeparatorChar) >= 0 ? File.Exists(file) : FindOnPath(file) != null;
        return exists ? DetachedWith(FindOnPath("setsid"), file, arguments) : (file, arguments);
    }

    internal static (string File, string Arguments) DetachedWith(string? setsid, string file, string arguments) =>
        setsid == null ? (file, arguments) : (setsid, arguments.Length == 0 ? Quote(file) : Quote(file) + " " + arguments);

    /// <summary>Splits "cmd --flag %s" into a program and its arguments with the URL in place (appended when there is no %s).</summary>
    internal static (string File, string Arguments) BuildCommand(string entry, string url)
    {
        var parts = SplitCommandLine(entry);
        if (parts.Count == 0) return (string.Empty, string.Empty);
        var file = parts[0];
        var args = new List<string>();
        var placed = false;
        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i].Contains("%s"))
            {
                args.Add(parts[i].Replace("%s", url));
                placed = true;
            }
            else
            {
                args.Add(parts[i]);
            }
        }
        if (!placed) args.Add(url);
        var text = new StringBuilder();
        foreach (var arg in args)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(Quote(arg));
        }
        return (file, text.ToString());
    }

    private static List<string> SplitCommandLine(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in text)
        {
            if (quote != null)
            {
                if (c == quote) quote = null;
                else current.Append(c);
            }
            else if (c == '"' || c == '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0 || any) parts.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else
            {
                current.Append(c);
            }
        }
        if (current.Length > 0 || any) parts.Add(current.ToString());
        return parts;
    }

    // ProcessStartInfo.Arguments is parsed with the Windows (MSVCRT) rules on every platform.
    private static string Quote(string arg) =>
        arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '"' }) < 0 ? arg : "\"" + arg.Replace("\"", "\\\"") + "\"";

    private static bool TryStart(string file, string arguments, bool useShell, out string error)
    {
        try
        {
            var info = new ProcessStartInfo(file, arguments)
            {
                UseShellExecute = useShell,
                CreateNoWindow = !useShell,
            };
            if (!useShell)
            {
                // The browser must not write into the PowerShell console or wait on its input.
                info.RedirectStandardInput = true;
                info.RedirectStandardOutput = true;
                info.RedirectStandardError = true;
            }
            using var process = Process.Start(info);
            if (process == null && !useShell)
            {
                error = "it did not start";
                return false;
            }
            if (!useShell && process != null)
            {
                process.StandardInput.Close();
                // Drain output in the background so a chatty browser cannot block on a full pipe.
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is Win32Exception || e is InvalidOperationException || e is FileNotFoundException || e is PlatformNotSupportedException)
        {
            error = e.Message;
            return false;
        }
    }

    private string? FindOnPath(string program)
    {
        var path = _environment.GetVariable(EnvironmentVariables.Path);
        if (path == null) return null;
        foreach (var folder in path.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
