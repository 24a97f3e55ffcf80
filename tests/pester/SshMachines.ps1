# "Machines" for the remoting tests: local accounts behind a private sshd on loopback, each with
# its own home, reached with PowerShell's SSH transport. Dot-sourced after TestHelpers.ps1.
# Needs root (useradd, a second sshd), openssh-server and the ssh client; Unix only.
#
# Everything lives in one folder: the sshd's config, host key and log, the admin's key and
# known_hosts, a hard-linked copy of this pwsh (the accounts cannot read root's NuGet folder),
# and the accounts' homes. What each machine's pwsh receives and sends over SSH is recorded in its
# home (.wire-in, .wire-out), so a test can scan a machine's side of the session too.

function Get-SshMachinesUnavailableReason {
    <# Why this host cannot hold the machines, or $null. #>
    if ([System.Environment]::OSVersion.Platform -eq 'Win32NT') { return 'the SSH machines are local Unix accounts' }
    if ((& id -u) -ne '0') { return 'creating the machines'' accounts needs root' }
    foreach ($tool in '/usr/sbin/sshd', 'ssh', 'ssh-keygen', 'useradd', 'userdel', 'runuser') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { return "'$tool' is missing (Debian: apt-get install openssh-server openssh-client passwd util-linux)" }
    }
    $null
}

function Test-SkipSshMachines {
    <# Whether a remoting file skips: always on Windows; elsewhere only outside CI, where a missing
       tool fails the run with its reason instead (Assert-SshMachinesAvailable). #>
    ([System.Environment]::OSVersion.Platform -eq 'Win32NT') -or ((Get-SshMachinesUnavailableReason) -and -not $env:CI)
}

function Assert-SshMachinesAvailable {
    <# Fails the calling file with the reason this host cannot hold the machines. #>
    $why = Get-SshMachinesUnavailableReason
    if ($why) { throw "The SSH machines cannot be set up here: $why." }
}

function Invoke-Native {
    <#
    .SYNOPSIS
        Runs a tool with its arguments as they are (pwsh would expand a '*' on Unix) and fails
        with what it printed when it fails.
    #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList, [int] $TimeoutSeconds = 30)
    $start = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $start.ArgumentList.Add($a) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true; $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync(); $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) { $process.Kill(); throw "$FilePath did not finish within $TimeoutSeconds s." }
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) { throw "$FilePath $($ArgumentList -join ' ') failed ($($process.ExitCode)): $($stdout.Result)$($stderr.Result)" }
    }
    finally { $process.Dispose() }
}

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Test-PortOpen([int] $Port) {
    $client = [System.Net.Sockets.TcpClient]::new()
    try { $client.ConnectAsync('127.0.0.1', $Port).Wait(500) -and $client.Connected }
    catch { $false }
    finally { $client.Dispose() }
}

function Start-SshMachines {
    <#
    .SYNOPSIS
        Creates -Count accounts and an sshd on a free loopback port that lets the admin key in as
        any of them, with pwsh as the "powershell" subsystem; returns what the tests connect with.
        On failure everything made so far is removed again.
    #>
    param([Parameter(Mandatory)] [string] $Root, [int] $Count = 3)
    $machines = [pscustomobject]@{
        Root = $Root; Accounts = @(); Sshd = $null; Port = 0; KeyFilePath = $null; Options = $null
        MadePrivsepDir = $false
    }
    try {
        New-Item -ItemType Directory -Path $Root | Out-Null
        # The accounts walk through it to their homes and to pwsh.
        & chmod 0755 $Root

        # This pwsh, for the accounts: hard links cost nothing; a copy when /tmp is another disk.
        $pwshHome = Join-Path $Root 'pwsh'
        try { Invoke-Native cp '-al', $PSHOME, $pwshHome }
        catch { Remove-Item -Recurse -Force $pwshHome -ErrorAction SilentlyContinue; Invoke-Native cp '-a', $PSHOME, $pwshHome }
        $host_ = [System.Environment]::ProcessPath
        $pwsh = if ([System.IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { "'$host_' '$pwshHome/pwsh.dll'" } else { "'$pwshHome/pwsh'" }
        $subsystem = Join-Path $Root 'pwsh-subsystem.sh'
        Set-Content -Path $subsystem -Encoding ascii -Value @(
            '#!/bin/sh'
            '# The machine''s pwsh as the SSH subsystem; what it receives and sends is kept in its home.'
            "tee -a `"`$HOME/.wire-in`" | $pwsh -sshs -NoLogo | tee -a `"`$HOME/.wire-out`""
        )
        & chmod 0755 $subsystem

        $admin = Join-Path $Root 'admin'
        New-Item -ItemType Directory -Path $admin | Out-Null
        & chmod 0700 $admin
        $machines.KeyFilePath = Join-Path $admin 'id_ed25519'
        Invoke-Native ssh-keygen '-q', '-t', 'ed25519', '-N', '', '-C', 'naraauth-admin', '-f', $machines.KeyFilePath
        $hostKey = Join-Path $Root 'ssh_host_ed25519_key'
        Invoke-Native ssh-keygen '-q', '-t', 'ed25519', '-N', '', '-C', 'naraauth-machine', '-f', $hostKey

        # Names no one else uses; '*' (not '!') as the password: no password, yet not locked for sshd.
        $tag = [guid]::NewGuid().ToString('n').Substring(0, 6)
        $homes = Join-Path $Root 'home'
        New-Item -ItemType Directory -Path $homes | Out-Null
        & chmod 0755 $homes
        foreach ($i in 1..$Count) {
            $name = "nara$($tag)m$i"
            $homeDir = Join-Path $homes $name
            Invoke-Native useradd '-M', '-d', $homeDir, '-s', '/bin/sh', '-p', '*', $name
            $machines.Accounts += [pscustomobject]@{ Name = $name; Home = $homeDir; Uid = [int](& id -u $name) }
            New-Item -ItemType Directory -Path (Join-Path $homeDir '.ssh') -Force | Out-Null
            Copy-Item "$($machines.KeyFilePath).pub" (Join-Path $homeDir '.ssh/authorized_keys')
            Invoke-Native chown '-R', "$($name):", $homeDir
            # sshd's StrictModes: home and .ssh the account's own, not writable by others.
            Invoke-Native chmod '0700', $homeDir, (Join-Path $homeDir '.ssh')
            Invoke-Native chmod '0600', (Join-Path $homeDir '.ssh/authorized_keys')
        }
        # The accounts must be able to start the subsystem's pwsh (dotnet could sit under /root).
        $probe = & runuser -u $machines.Accounts[0].Name -- /bin/sh -c "$pwsh -NoProfile -NonInteractive -Command 'exit 7'" 2>&1 | Out-String
        if ($LASTEXITCODE -ne 7) { throw "The machines' accounts cannot start pwsh ($pwsh): $probe" }

        # sshd needs its privilege separation folder (the package's tmpfiles.d makes it at boot).
        if (-not (Test-Path /run/sshd)) { New-Item -ItemType Directory -Path /run/sshd | Out-Null; $machines.MadePrivsepDir = $true }

        $config = Join-Path $Root 'sshd_config'
        $log = Join-Path $Root 'sshd.log'
        foreach ($attempt in 1..3) {
            $port = Get-FreeLoopbackPort
            Set-Content -Path $config -Encoding ascii -Value @(
                'ListenAddress 127.0.0.1'
                "Port $port"
                "HostKey $hostKey"
                "PidFile $(Join-Path $Root 'sshd.pid')"
                'UsePAM no'
                'AuthenticationMethods publickey'
                'PasswordAuthentication no'
                'KbdInteractiveAuthentication no'
                'PermitRootLogin no'
                'AuthorizedKeysFile .ssh/authorized_keys'
                "AllowUsers $($machines.Accounts.Name -join ' ')"
                'X11Forwarding no'
                'AllowTcpForwarding no'
                'LogLevel VERBOSE'
                "Subsystem powershell /bin/sh $subsystem"
            )
            Invoke-Native /usr/sbin/sshd '-t', '-f', $config
            $start = [System.Diagnostics.ProcessStartInfo]::new('/usr/sbin/sshd')
            foreach ($a in '-D', '-f', $config, '-E', $log) { $start.ArgumentList.Add($a) }
            $start.UseShellExecute = $false
            $machines.Sshd = [System.Diagnostics.Process]::Start($start)
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not $machines.Sshd.HasExited -and -not (Test-PortOpen $port) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            if (-not $machines.Sshd.HasExited -and (Test-PortOpen $port)) { $machines.Port = $port; break }
            # The port was taken in between: try another.
            Stop-SshDaemon $machines
        }
        if (-not $machines.Port) { throw "sshd did not start: $(Get-Content -Raw -Path $log -ErrorAction SilentlyContinue)" }

        # The admin trusts exactly this host key, from a known_hosts of its own; never a prompt.
        $knownHosts = Join-Path $admin 'known_hosts'
        $hostPublic = (Get-Content -Raw "$hostKey.pub").Trim() -split ' '
        Set-Content -Path $knownHosts -Encoding ascii -Value "[127.0.0.1]:$($machines.Port) $($hostPublic[0]) $($hostPublic[1])"
        $machines.Options = @{
            UserKnownHostsFile = $knownHosts; GlobalKnownHostsFile = '/dev/null'; StrictHostKeyChecking = 'yes'
            BatchMode = 'yes'; IdentitiesOnly = 'yes'; ConnectTimeout = '10'
        }
        $machines
    }
    catch {
        Stop-SshMachines $machines
        throw
    }
}

function Stop-SshDaemon($Machines) {
    $process = $Machines.Sshd
    if ($process -and -not $process.HasExited) {
        & kill -TERM $process.Id 2>$null
        if (-not $process.WaitForExit(5000)) { $process.Kill(); $process.WaitForExit(5000) | Out-Null }
    }
    $Machines.Sshd = $null
}

function Stop-SshMachines {
    <# Stops the sshd, ends what still runs as the accounts, removes the accounts and the folder. #>
    param($Machines)
    if (-not $Machines) { return }
    Stop-SshDaemon $Machines
    foreach ($account in $Machines.Accounts) {
        # Their pwsh sessions end with their connections; anything left is ended by its id.
        foreach ($id in @(& ps -o pid= -u $account.Name 2>$null)) { if ($id.Trim()) { & kill -KILL $id.Trim() 2>$null } }
        & userdel $account.Name 2>$null
        if ($LASTEXITCODE -ne 0) { Start-Sleep -Milliseconds 500; & userdel -f $account.Name 2>$null }
    }
    $Machines.Accounts = @()
    if ($Machines.MadePrivsepDir) { Remove-Item -Path /run/sshd -Force -ErrorAction SilentlyContinue }
    Remove-Item -Recurse -Force -Path $Machines.Root -ErrorAction SilentlyContinue
}

function Get-SshWireText {
    <#
    .SYNOPSIS
        Everything a machine's pwsh received and sent over SSH, as text: the raw PSRP stream and
        the base64 payload of every data packet decoded (UTF-8 and UTF-16), for secret scans.
    #>
    param([Parameter(Mandatory)] $Account)
    $text = New-Object System.Text.StringBuilder
    foreach ($file in '.wire-in', '.wire-out') {
        $path = Join-Path $Account.Home $file
        if (-not (Test-Path $path)) { continue }
        $raw = [System.IO.File]::ReadAllText($path)
        [void]$text.AppendLine($raw)
        foreach ($m in [regex]::Matches($raw, '>([A-Za-z0-9+/=]{16,})<')) {
            try { $bytes = [Convert]::FromBase64String($m.Groups[1].Value) } catch { continue }
            [void]$text.AppendLine([System.Text.Encoding]::UTF8.GetString($bytes))
            # UTF-16 from either byte: a packet's headers need not end on an even offset.
            [void]$text.AppendLine([System.Text.Encoding]::Unicode.GetString($bytes))
            if ($bytes.Length -gt 1) { [void]$text.AppendLine([System.Text.Encoding]::Unicode.GetString($bytes, 1, $bytes.Length - 1)) }
        }
    }
    $text.ToString()
}
