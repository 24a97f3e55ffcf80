<#
.SYNOPSIS
    Benchmark, run by hand (never an assertion): onboarding 1, 2, 4 and 8 loopback machines over
    SSH with Connect-EdgeConnector -Session, with and without -ThrottleLimit, and where the time goes.

.DESCRIPTION
    The machines are local accounts behind a private sshd (../SshMachines.ps1), against the
    emulator. For each machine count and throttle it measures, with fresh module folders and token
    folders on the machines:
      Open     New-PSSession to every machine (a pwsh starts on each one)
      First    the first Connect-EdgeConnector -Session: module probe, module copy, import, login
      Login    a second login into another folder: probe, import, login (no copy)
      Again    the same login again: AlreadyConnected, nothing written
    and the admin's process memory (working set, and managed heap after a full collection) after
    the run. Needs root, sshd and useradd, as the remoting tests do. Writes a markdown table.

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh -NoProfile -File tests/pester/bench/Measure-SessionOnboarding.ps1
#>
param([int[]] $Count = @(1, 2, 4, 8), [int[]] $ThrottleLimit = @(0, 1))

$ErrorActionPreference = 'Stop'
$pester = Split-Path $PSScriptRoot
. (Join-Path $pester 'TestHelpers.ps1')
. (Join-Path $pester 'SshMachines.ps1')
Assert-SshMachinesAvailable

Initialize-NaraTest -Emulator
$machines = $null
try {
    $machines = Start-SshMachines -Root (Join-Path $script:TestRoot 'ssh') -Count ($Count | Measure-Object -Maximum).Maximum
    $token = ConvertTo-SecureString (New-EmulatorToken) -AsPlainText -Force
    $self = [System.Diagnostics.Process]::GetCurrentProcess()
    $rows = foreach ($n in $Count) {
        foreach ($throttle in $ThrottleLimit) {
            $accounts = $machines.Accounts[0..($n - 1)]
            foreach ($a in $accounts) {
                foreach ($f in '.local/share/powershell/Modules/NaraAuth', 'Bench1', 'Bench2') { Remove-Item -Recurse -Force (Join-Path $a.Home $f) -ErrorAction SilentlyContinue }
            }
            [GC]::Collect(); $self.Refresh(); $before = $self.WorkingSet64
            $open = Measure-Command {
                $sessions = @(New-PSSession -HostName ($accounts | ForEach-Object { "$($_.Name)@127.0.0.1" }) -Port $machines.Port -KeyFilePath $machines.KeyFilePath -Options $machines.Options)
            }
            try {
                $connect = @{ Session = $sessions; Token = $token; BaseUrl = $script:BaseUrl; Organization = 'org_1' }
                if ($throttle) { $connect.ThrottleLimit = $throttle }
                $first = Measure-Command { $r1 = Connect-EdgeConnector @connect -InstallPath '~/Bench1' }
                $login = Measure-Command { $r2 = Connect-EdgeConnector @connect -InstallPath '~/Bench2' }
                $again = Measure-Command { $r3 = Connect-EdgeConnector @connect -InstallPath '~/Bench2' }
                if (@($r1 | Where-Object Status -EQ 'Connected').Count -ne $n -or @($r3 | Where-Object Status -EQ 'AlreadyConnected').Count -ne $n) { throw "Not every machine connected (N=$n)." }
                $self.Refresh(); $peak = $self.WorkingSet64
                [pscustomobject]@{
                    Machines = $n; ThrottleLimit = if ($throttle) { $throttle } else { 'default (32)' }
                    OpenS = [math]::Round($open.TotalSeconds, 1); FirstS = [math]::Round($first.TotalSeconds, 1)
                    LoginS = [math]::Round($login.TotalSeconds, 1); AgainS = [math]::Round($again.TotalSeconds, 1)
                    WorkingSetMB = [math]::Round($peak / 1MB); GrowthMB = [math]::Round(($peak - $before) / 1MB)
                    ManagedMB = [math]::Round([GC]::GetTotalMemory($true) / 1MB)
                }
            }
            finally { Remove-PSSession -Session $sessions }
        }
    }
    '| Machines | -ThrottleLimit | Open sessions (s) | First run, with module copy (s) | Login, module present (s) | Second run, AlreadyConnected (s) | Admin working set (MB) | Growth in this row (MB) | Managed heap (MB) |'
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|'
    foreach ($r in $rows) { "| $($r.Machines) | $($r.ThrottleLimit) | $($r.OpenS) | $($r.FirstS) | $($r.LoginS) | $($r.AgainS) | $($r.WorkingSetMB) | $($r.GrowthMB) | $($r.ManagedMB) |" }
    "Measured $(Get-Date -Format u) on $([Environment]::ProcessorCount) cores; load average: $((Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3)"
}
finally {
    Stop-SshMachines $machines
    Complete-NaraTest
}
