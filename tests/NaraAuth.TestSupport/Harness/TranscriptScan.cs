using System.Diagnostics;

namespace NaraAuth.TestSupport.Harness;

/// <summary>
/// Runs a script in real pwsh (the pinned dotnet tool) inside Start-Transcript, with the staged
/// module, verbose and debug on, and the errors listed with Format-List * -Force at the end, and
/// returns the transcript file and everything the console printed. The in-process host has no
/// transcription of its own, so this is how the secret scan covers a Start-Transcript file.
/// The child inherits the session's environment (HOME, NARA_* ...); values the script needs are
/// passed as environment variables, never on the command line.
/// </summary>
public static class TranscriptScan
{
    public static string Run(PsSession session, string script, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var transcript = Path.Combine(session.TempDir, "transcript.txt");
        var wrapper = $$"""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            Start-Transcript -LiteralPath '{{transcript}}' -UseMinimalHeader | Out-Null
            try {
                Set-Location -LiteralPath '{{session.WorkDir}}'
                Import-Module '{{RepoPaths.StagedManifest}}' -ErrorAction Stop
                {{script}}
            } catch { $_ | Out-Default }
            $Error | Format-List * -Force | Out-String -Width 4096 | Out-Default
            Stop-Transcript | Out-Null
            """;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", wrapper }) start.ArgumentList.Add(arg);
        // The test host narrows PSModulePath to the staged module; real pwsh needs its own modules.
        start.Environment.Remove("PSModulePath");
        // The session's private HOME would hide the dotnet CLI's record of the restored pwsh tool.
        if (Environment.GetEnvironmentVariable("DOTNET_CLI_HOME") == null && session.OriginalEnvironment("HOME") is { } home)
            start.Environment["DOTNET_CLI_HOME"] = home;
        if (environment != null)
            foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("pwsh did not finish in time.");
        }
        Assert.True(File.Exists(transcript), "pwsh wrote no transcript: " + stderr.Result);
        var text = File.ReadAllText(transcript) + "\n" + stdout.Result + "\n" + stderr.Result;
        File.Delete(transcript);
        return text;
    }

    /// <summary>
    /// Fails when the secret (or, for a multi-line one, any of its lines) is in the text, also
    /// when the console wrapped it across lines (the error view and Format-List wrap at the width).
    /// </summary>
    public static void AssertNoSecret(string text, string secret)
    {
        var unwrapped = Unwrap(text);
        foreach (var needle in PsResult.SecretNeedles(secret))
        {
            Assert.False(text.Contains(needle, StringComparison.Ordinal), "A secret leaked into the transcript: " + text.Replace(needle, "<SECRET>"));
            Assert.False(unwrapped.Contains(Unwrap(needle), StringComparison.Ordinal), "A secret leaked into the transcript, wrapped across lines.");
        }
    }

    private static string Unwrap(string text) => new(text.Where(c => !char.IsWhiteSpace(c) && c != '|').ToArray());
}
