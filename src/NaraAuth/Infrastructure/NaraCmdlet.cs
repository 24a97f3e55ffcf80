using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Ci;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Http;
using NaraAuth.Core.Text;
using NaraAuth.Core.Browser;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Base of every NaraAuth cmdlet: builds the Core context from the session, turns Core errors
/// into ErrorRecords, runs async work with a responsive Ctrl+C, and masks secrets in CI logs.
/// Cmdlets stay thin: bind parameters, call Core, write typed objects.
/// </summary>
public abstract class NaraCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();
    private CoreContext? _context;
    private PipelineReporter? _reporter;
    private bool _cannotGoOn;

    protected CancellationToken StopToken => _stop.Token;

    /// <summary>Ctrl+C was pressed: the pipeline takes no more records.</summary>
    internal bool StopRequested => _stop.IsCancellationRequested;

    internal CoreContext Context => _context ??= new CoreContext(
        SystemEnvironment.Instance, SystemClock.Instance, SessionState.Path.CurrentFileSystemLocation.ProviderPath, Reporter);

    /// <summary>What Core reports during this cmdlet call (verbose, warnings, lines for the person, countdowns); hand it to the Core objects the cmdlet builds.</summary>
    internal IReporter Reporter => _reporter ??= new PipelineReporter(this);

    protected override void StopProcessing()
    {
        _stop.Cancel();
        base.StopProcessing();
    }

    protected sealed override void ProcessRecord()
    {
        try
        {
            ProcessNaraRecord();
        }
        catch (NaraAuthException e) when (MyInvocation.ExpectingInput && !_cannotGoOn)
        {
            // One piped record failed ('a', 'b' | New-ServerToken): report it and go on with the
            // next, as PowerShell's own cmdlets do. -ErrorAction Stop still stops here.
            WriteError(ErrorRecords.From(e, WorkingOn));
        }
        catch (NaraAuthException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, WorkingOn));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>The proxy and per-request timeout for the requests of <see cref="RunAsync{T}(Func{CancellationToken, Task{T}})"/>; null: the system proxy and each request's default.</summary>
    internal virtual NetworkSettings? Network => null;

    /// <summary>The cmdlet's work for one pipeline record.</summary>
    protected abstract void ProcessNaraRecord();

    /// <summary>
    /// Runs setup that every record depends on (base URL, credential, proxy). Its failure ends the
    /// whole command even with pipeline input, since no later record could succeed either.
    /// </summary>
    internal T SharedSetup<T>(Func<T> setup)
    {
        try
        {
            return setup();
        }
        catch (NaraAuthException)
        {
            _cannotGoOn = true;
            throw;
        }
    }

    /// <summary>Writes a non-terminating error and continues with the next record.</summary>
    internal void WriteNaraError(NaraAuthException exception) => WriteError(ErrorRecords.From(exception, WorkingOn));

    /// <summary>
    /// The file, name or service the cmdlet is working on, set as soon as it is known: the
    /// TargetObject of an error that names nothing itself (an expired token read from a file).
    /// </summary>
    internal object? WorkingOn { get; set; }

    /// <summary>
    /// Runs async Core work off the pipeline thread; what it reports through <see cref="Reporter"/>
    /// is written on the pipeline thread while waiting, and a countdown it left open is completed.
    /// </summary>
    internal T RunAsync<T>(Func<CancellationToken, Task<T>> work)
    {
        var pump = new CmdletPump();
        var reporter = (PipelineReporter)Reporter;
        reporter.Attach(pump);
        var task = NetworkSettings.Run(Network, () => Task.Run(() => work(_stop.Token)));
        try
        {
            // GetAwaiter().GetResult() inside the pump rethrows Core's own exception, unwrapped.
            return pump.Run(task, _stop.Token);
        }
        finally
        {
            reporter.Detach();
            if (_stop.IsCancellationRequested) throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Before a secret is written as plain text in Azure Pipelines or GitHub Actions, print the
    /// system's masking command so the value shows as *** in the job log.
    /// </summary>
    internal void MaskSecretForCi(string secret)
    {
        foreach (var command in CiSecretMasking.MaskCommands(Context.Environment, secret)) Host.UI.WriteLine(command);
    }

    /// <summary>
    /// ShouldProcess that -Force can answer: -Force skips the prompt, but -WhatIf still only reports.
    /// </summary>
    internal bool ShouldProcessUnlessForced(bool force, string target, string action)
    {
        if (force && !IsWhatIf()) return true;
        return ShouldProcess(target, action);
    }

    internal bool IsWhatIf()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)) return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
        return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
    }

    /// <summary>Why no person can answer a login at this console (CI, -NonInteractive, no console input), or null.</summary>
    internal string? WhyNoPersonHere() =>
        Core.Browser.Interactivity.WhyNonInteractive(Context.Environment, Host?.Name, IsInputRedirected(), Environment.GetCommandLineArgs(), Environment.UserInteractive);

    private static bool IsInputRedirected()
    {
        try
        {
            return Console.IsInputRedirected;
        }
        catch (System.IO.IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// A path argument as PowerShell's own cmdlets read it: '~', PowerShell drives and relative paths
    /// against the current location, to the file system path it names. A path of another provider
    /// (Env:, Cert:, a registry drive) is refused with a clear error. Null or blank stays null.
    /// </summary>
    internal string? ResolveUserPath(string? path, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception e) when (e is ItemNotFoundException or DriveNotFoundException or ProviderNotFoundException or NotSupportedException or PSArgumentException)
        {
            throw new NaraAuthException(ErrorIds.PathNotResolved, NaraErrorCategory.InvalidArgument,
                $"-{parameterName} '{path}' does not name a place on the file system: {e.Message}",
                "Pass a file system path: absolute, relative to the current location, or starting with '~'.", path);
        }
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            throw new NaraAuthException("PathNotOnFileSystem", NaraErrorCategory.InvalidArgument,
                $"-{parameterName} '{path}' is a path of the {provider.Name} provider, not a file system path.",
                "Pass a file system path: absolute, relative to the current location, or starting with '~'.", path);
        return resolved;
    }

    /// <summary>Shows a line to the person at the console without putting it in the output stream.</summary>
    internal void WriteHostLine(string text)
    {
        // The information stream (tagged PSHOST) is what Write-Host uses: it reaches the console,
        // survives $x = ..., and can be captured with 6>&1 or -InformationVariable.
        // Host lines reach the console as they are: whatever server text they quote loses its escape sequences first.
        WriteInformation(new InformationRecord(new HostInformationMessage { Message = DisplayText.ForConsole(text) }, "NaraAuth") { Tags = { "PSHOST" } });
    }
}
