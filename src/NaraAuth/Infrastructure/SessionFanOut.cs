using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Threading;
using NaraAuth.Core.Errors;

using NaraAuth.Core.Text;

namespace NaraAuth.Infrastructure;

/// <summary>
/// Runs one of the module's cmdlets on many machines through PowerShell remoting sessions, the way
/// Invoke-Command does: at most -ThrottleLimit at a time, each machine answering with the same typed
/// result it gives locally plus PSComputerName (and PSUserName for an SSH account). A machine that
/// fails is a non-terminating error whose TargetObject names it; the others go on.
///
/// The module reaches a machine that lacks this version over the session itself, into the remote
/// account's own module folder (the first folder of its PSModulePath), once per call. Arguments
/// travel as Invoke-Command arguments, so a secret crosses only as a SecureString, which remoting
/// encrypts with the session key (docs/remoting.md); it is never part of a script text or a file.
/// See docs/decisions/remote-cmdlets.md for why the results are rebuilt into the module's own types.
/// </summary>
internal sealed class SessionFanOut
{
    private readonly NaraCmdlet _cmdlet;
    private readonly int _throttleLimit;
    private readonly CancellationToken _stop;
    private readonly Dictionary<Guid, PSSession> _byRunspace = new();
    /// <summary>Machines known to have this version: the module is probed and copied once per call, not once per piped record.</summary>
    private readonly HashSet<PSSession> _hasModule = new();

    public SessionFanOut(NaraCmdlet cmdlet, int throttleLimit, CancellationToken stop)
    {
        _cmdlet = cmdlet;
        _throttleLimit = throttleLimit;
        _stop = stop;
    }

    /// <summary>
    /// Runs <paramref name="command"/> with <paramref name="parameters"/> on every open session.
    /// With <paramref name="whatIf"/> each machine says what it would do and nothing is copied or written.
    /// </summary>
    /// <param name="pathParameters">The parameters that name a file or folder: resolved on the machine, where '~' is the remote account's home.</param>
    public void Run(PSSession[] sessions, string command, IDictionary parameters, bool whatIf, params string[] pathParameters)
    {
        var module = _cmdlet.MyInvocation.MyCommand.Module;
        if (module == null || module.Version == null || module.Version.Major == 0 && module.Version.Minor == 0 && module.Version.Build <= 0)
            throw new NaraAuthException("RemoteModuleUnknown", NaraErrorCategory.InvalidOperation,
                $"{command} -Session needs the NaraAuth module imported from its manifest, to know which version the machines must run.",
                "Import-Module NaraAuth (its NaraAuth.psd1), then run the command again.", command);
        var version = module.Version.ToString();

        var open = new List<PSSession>();
        foreach (var session in sessions.Distinct())
        {
            if (session.Runspace != null) _byRunspace[session.Runspace.InstanceId] = session;
            if (session.Availability == RunspaceAvailability.Available && session.Runspace?.RunspaceStateInfo.State == RunspaceState.Opened) open.Add(session);
            else _cmdlet.WriteError(ErrorRecords.From(new NaraAuthException("RemoteSessionNotOpened", NaraErrorCategory.ConnectionError,
                $"The session to {MachineName(session)} is {session.Runspace?.RunspaceStateInfo.State.ToString() ?? "not open"}; {command} did not run there.",
                "Open a new session to that machine with New-PSSession and run the command again for it.", MachineName(session))));
        }
        if (open.Count == 0) return;

        var ready = open.Where(_hasModule.Contains).ToList();
        var unknown = open.Where(s => !_hasModule.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            var found = EnsureModule(unknown, module.ModuleBase, version, whatIf);
            _hasModule.UnionWith(found);
            ready.AddRange(found);
        }
        // Confirmation is the admin's, per machine; under -WhatIf each machine says what it would do itself.
        if (!whatIf) ready = ready.Where(s => _cmdlet.ShouldProcess(MachineName(s), $"Run {command}")).ToList();
        if (ready.Count == 0) return;

        var output = Invoke(ready, RunScript, version, command, parameters, pathParameters);
        foreach (var item in output) _cmdlet.WriteObject(RemoteResults.Rehydrate(item, SessionOf(item)));
    }

    /// <summary>The sessions whose machine has this version of the module, after copying it where it was missing.</summary>
    private List<PSSession> EnsureModule(List<PSSession> sessions, string moduleBase, string version, bool whatIf)
    {
        var lacking = new Dictionary<PSSession, string>();
        foreach (var probe in Invoke(sessions, ProbeScript, version))
        {
            var session = SessionOf(probe);
            if (session == null) continue;
            if (!LanguagePrimitives.IsTrue(probe.Properties["Installed"]?.Value)) lacking[session] = probe.Properties["Folder"]?.Value as string ?? "the account's module folder";
        }
        var answered = new HashSet<PSSession>(sessions.Where(s => !lacking.ContainsKey(s)));
        var copyTo = new List<PSSession>();
        foreach (var pair in lacking)
        {
            var action = $"Copy the NaraAuth module {version} to '{pair.Value}'";
            if (whatIf)
            {
                // Nothing is copied under -WhatIf, so the machine cannot say more than this.
                _cmdlet.WriteHostLine($"What if: Performing the operation \"{action}\" on target \"{MachineName(pair.Key)}\", then running the command there.");
                answered.Remove(pair.Key);
            }
            else if (_cmdlet.ShouldProcess(MachineName(pair.Key), action)) copyTo.Add(pair.Key);
        }
        if (copyTo.Count == 0) return sessions.Where(answered.Contains).ToList();

        _cmdlet.WriteVerbose($"Copying the NaraAuth module {version} to {copyTo.Count} machine(s): {string.Join(", ", copyTo.Select(MachineName))}.");
        foreach (var copied in Invoke(copyTo, CopyScript, version, ZipFolder(moduleBase)))
        {
            var session = SessionOf(copied);
            if (session == null) continue;
            if (LanguagePrimitives.IsTrue(copied.Properties["Installed"]?.Value)) answered.Add(session);
            else _cmdlet.WriteError(ErrorRecords.From(new NaraAuthException("ModuleCopyFailed", NaraErrorCategory.WriteError,
                $"{MachineName(session)}: {copied.Properties["Detail"]?.Value}", "Check the remote account's module folder (its PSModulePath), or install the module there with Install-PSResource.",
                MachineName(session))));
        }
        return sessions.Where(answered.Contains).ToList();
    }

    /// <summary>
    /// Invoke-Command on the sessions through this cmdlet's runspace. Every stream is merged into
    /// the output, so each machine's errors, warnings, verbose lines and host lines are written by
    /// this cmdlet, in the order they came (errors naming their machine), and reach -ErrorVariable,
    /// redirection and transcripts as the local cmdlet's would. Returns the data objects.
    /// </summary>
    private List<PSObject> Invoke(IReadOnlyCollection<PSSession> sessions, string script, params object[] arguments)
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddCommand(@"Microsoft.PowerShell.Core\Invoke-Command")
            .AddParameter("Session", sessions.ToArray())
            .AddParameter("ThrottleLimit", _throttleLimit)
            .AddParameter("ScriptBlock", ScriptBlock.Create(script))
            .AddParameter("ArgumentList", arguments)
            .AddParameter("ErrorAction", ActionPreference.Continue);
        shell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.All, PipelineResultTypes.Output);
        Collection<PSObject> output;
        using (_stop.Register(() => shell.BeginStop(null, null)))
        {
            output = shell.Invoke();
        }
        if (_stop.IsCancellationRequested) throw new PipelineStoppedException();
        var data = new List<PSObject>();
        foreach (var item in output)
        {
            switch (item?.BaseObject)
            {
                case null: break;
                case ErrorRecord error: _cmdlet.WriteError(NamingMachine(error)); break;
                case WarningRecord warning: _cmdlet.WriteWarning(FromMachine(warning, warning.Message)); break;
                case VerboseRecord verbose: _cmdlet.WriteVerbose(FromMachine(verbose, verbose.Message)); break;
                case DebugRecord debug: _cmdlet.WriteDebug(FromMachine(debug, debug.Message)); break;
                case InformationRecord information: _cmdlet.WriteInformation(information); break;
                default:
                    if (!RemoteRecord(item)) data.Add(item);
                    break;
            }
        }
        return data;
    }

    /// <summary>A warning, verbose, debug or information record a machine sent as output (see RunScript): written to the same stream here.</summary>
    private bool RemoteRecord(PSObject item)
    {
        var type = item.TypeNames.FirstOrDefault() ?? string.Empty;
        string Text(string name) => item.Properties[name]?.Value?.ToString() ?? string.Empty;
        // Remoting serializes a warning, verbose or debug line's text as InformationalRecord_Message.
        string Message() => item.Properties["InformationalRecord_Message"]?.Value?.ToString() ?? item.Properties["Message"]?.Value?.ToString() ?? item.ToString();
        // A machine's text reaches this console: it loses its escape sequences first, as server text does.
        string Prefixed(string message) => DisplayText.ForConsole(SessionOf(item) is { } session ? $"{MachineName(session)}: {message}" : message);
        switch (type)
        {
            case "Deserialized.System.Management.Automation.WarningRecord": _cmdlet.WriteWarning(Prefixed(Message())); return true;
            case "Deserialized.System.Management.Automation.VerboseRecord": _cmdlet.WriteVerbose(Prefixed(Message())); return true;
            case "Deserialized.System.Management.Automation.DebugRecord": _cmdlet.WriteDebug(Prefixed(Message())); return true;
            case "Deserialized.System.Management.Automation.InformationRecord":
                var tagValue = item.Properties["Tags"]?.Value;
                var tags = (tagValue is PSObject wrapped ? wrapped.BaseObject : tagValue) as IEnumerable;
                var isHost = tags != null && tags.Cast<object>().Any(t => string.Equals(t?.ToString(), "PSHOST", StringComparison.Ordinal));
                var data = item.Properties["MessageData"]?.Value;
                if (isHost) _cmdlet.WriteHostLine(HostText(data));
                else _cmdlet.WriteInformation(new InformationRecord(data, Prefixed(Text("Source"))));
                return true;
            default: return false;
        }
    }

    /// <summary>The text of a Write-Host-style line: a HostInformationMessage arrives as a bag with its Message.</summary>
    private static string HostText(object? data) =>
        data is PSObject bag && bag.Properties["Message"]?.Value is { } message ? message.ToString() : data?.ToString() ?? string.Empty;

    /// <summary>A machine's verbose or warning line, prefixed with the machine it came from, without escape sequences.</summary>
    private string FromMachine(object record, string message)
    {
        var session = SessionOfOrigin(record);
        return DisplayText.ForConsole(session == null ? message : $"{MachineName(session)}: {message}");
    }

    /// <summary>The same error, its TargetObject the machine it came from (its id and message unchanged).</summary>
    private ErrorRecord NamingMachine(ErrorRecord error)
    {
        var session = SessionOfError(error);
        var machine = session == null ? error.TargetObject : MachineName(session);
        var id = error.FullyQualifiedErrorId.Split(',')[0];
        var record = new ErrorRecord(error.Exception, id, error.CategoryInfo.Category, machine);
        if (error.ErrorDetails != null) record.ErrorDetails = error.ErrorDetails;
        return record;
    }

    private PSSession? SessionOfError(ErrorRecord error)
    {
        // A machine's own error carries its origin; an error of the session itself names the session or its runspace.
        if (SessionOfOrigin(error) is { } s) return s;
        var target = error.TargetObject is PSObject wrapped ? wrapped.BaseObject : error.TargetObject;
        if (target is PSSession session) return session;
        if (target is Runspace runspace && _byRunspace.TryGetValue(runspace.InstanceId, out var r)) return r;
        return null;
    }

    /// <summary>The session a remote record came from, by its OriginInfo (RemotingErrorRecord, RemotingVerboseRecord, ...).</summary>
    private PSSession? SessionOfOrigin(object record)
    {
        var origin = PSObject.AsPSObject(record).Properties["OriginInfo"]?.Value;
        return origin != null && PSObject.AsPSObject(origin).Properties["RunspaceID"]?.Value is Guid runspaceId && _byRunspace.TryGetValue(runspaceId, out var s) ? s : null;
    }

    private PSSession? SessionOf(PSObject answer) =>
        answer.Properties["RunspaceId"]?.Value is Guid id && _byRunspace.TryGetValue(id, out var session) ? session : null;

    /// <summary>How the admin named the machine: host, or account@host for an SSH session.</summary>
    internal static string MachineName(PSSession session)
    {
        var account = AccountOf(session);
        return account == null ? session.ComputerName : account + "@" + session.ComputerName;
    }

    /// <summary>The account an SSH session logs in as; null for WinRM (it runs as the admin's own credential).</summary>
    internal static string? AccountOf(PSSession? session)
    {
        var info = session?.Runspace?.ConnectionInfo;
        if (info == null || info.GetType().Name != "SSHConnectionInfo") return null;
        return PSObject.AsPSObject(info).Properties["UserName"]?.Value as string is { Length: > 0 } user ? user : null;
    }

    private static byte[] ZipFolder(string folder)
    {
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var entry = archive.CreateEntry(file.Substring(root.Length + 1).Replace('\\', '/'));
                using var into = entry.Open();
                using var from = File.OpenRead(file);
                from.CopyTo(into);
            }
        }
        return buffer.ToArray();
    }

    // Is this version there, and where would it go: the first folder of the account's PSModulePath
    // is its own (Documents\PowerShell\Modules, ~/.local/share/powershell/Modules).
    private const string ProbeScript = @"
param([string] $Version)
[pscustomobject]@{
    Installed = [bool](Get-Module -ListAvailable -Name NaraAuth | Where-Object { $_.Version -eq $Version })
    Folder    = [System.IO.Path]::Combine(($env:PSModulePath -split [System.IO.Path]::PathSeparator)[0], 'NaraAuth', $Version)
}";

    // Unpacked beside its final folder and moved in at the end: a copy that broke off never looks
    // installed, and nothing is left behind when it fails.
    private const string CopyScript = @"
param([string] $Version, [byte[]] $Zip)
$target = [System.IO.Path]::Combine(($env:PSModulePath -split [System.IO.Path]::PathSeparator)[0], 'NaraAuth', $Version)
$partial = ""$target.partial-"" + [guid]::NewGuid().ToString('n')
try {
    Add-Type -AssemblyName System.IO.Compression
    $archive = [System.IO.Compression.ZipArchive]::new([System.IO.MemoryStream]::new($Zip), 'Read')
    try {
        foreach ($entry in $archive.Entries) {
            $path = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($partial, $entry.FullName))
            if (-not $path.StartsWith($partial + [System.IO.Path]::DirectorySeparatorChar)) { throw ""The module archive names a file outside its folder: $($entry.FullName)"" }
            [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($path))
            $from = $entry.Open(); $into = [System.IO.File]::Create($path)
            try { $from.CopyTo($into) } finally { $into.Dispose(); $from.Dispose() }
        }
    }
    finally { $archive.Dispose() }
    [System.IO.Directory]::Move($partial, $target)
    [pscustomobject]@{ Installed = $true; Detail = $target }
}
catch {
    if ([System.IO.Directory]::Exists($partial)) { Remove-Item -LiteralPath $partial -Recurse -Force -WhatIf:$false -ErrorAction SilentlyContinue }
    [pscustomobject]@{ Installed = $false; Detail = ""Could not copy the module to '$target': $($_.Exception.Message)"" }
}";

    // The module's own cmdlet, by its module-qualified name, with the caller's arguments.
    private const string RunScript = @"
param([string] $Version, [string] $Command, [hashtable] $Parameters, [string[]] $PathParameters)
Import-Module -Name NaraAuth -RequiredVersion $Version -ErrorAction Stop
foreach ($name in @($Parameters.Keys)) {
    if ($name -in $PathParameters -and $Parameters[$name]) { $Parameters[$name] = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath([string]$Parameters[$name]) }
}
# Warnings, verbose, debug and information come back as records in the output, so the admin's
# streams get them (remoting would otherwise show them on the console only); errors keep their own stream.
& ""NaraAuth\$Command"" @Parameters 3>&1 4>&1 5>&1 6>&1";
}
