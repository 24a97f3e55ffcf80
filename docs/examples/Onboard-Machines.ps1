<#
.SYNOPSIS
    Onboards the Edge Connector on many machines at once over PowerShell remoting, and is safe to
    run again.

.DESCRIPTION
    Opens one remoting session per machine (WinRM with -ComputerName, SSH with -HostName, or
    sessions you opened yourself with -Session), at most -ThrottleLimit at a time, and runs
    Connect-EdgeConnector on every machine in parallel with Invoke-Command:

      * Token mode (-Token): the token is validated on the machine and saved owner-only with the
        default bundle. A stored token that is still valid for the organization for longer than
        -MinimumValidity is kept: the machine reports AlreadyConnected and nothing is written.
      * Deployment mode (-DeploymentId and -DeploymentSecret): the credentials are verified with
        the platform's WebSocket handshake on the machine and saved owner-only to
        -CredentialsPath (default: deployment.json in -InstallPath). A credentials file of the same
        deployment that still verifies is kept: the machine reports AlreadyVerified.

    The secret travels only as a SecureString, as an argument of Invoke-Command: never in the
    script text, a command line or a file on the way. The remoting session encrypts it for the
    machine (see docs/remoting.md for how WinRM and SSH protect it).

    The module on each machine: with -ModulePath, the module folder given there (for example
    (Get-Module NaraAuth).ModuleBase) is copied over the session into the machine account's own
    module folder (the first folder of its PSModulePath) when that version is not there yet;
    without -ModulePath the module must already be installed there (Install-PSResource NaraAuth).
    The module is sent as one zip to all those machines at once and unpacked beside its final
    folder before it is moved there; it stays installed for the next run.

    One result per machine, in the order the machines answer: ComputerName (as you named it),
    Mode, Status, Organization, ExpiresOn, Path, Detail and ErrorId. Status is the module's own
    (Connected, AlreadyConnected, Verified) or the script's: AlreadyVerified, WhatIf, Unreachable
    (no session could be opened: ErrorId says why, for example PSSessionOpenFailed) and Failed
    (the machine answered with an error: ErrorId is the module's error id). One failing machine
    never stops the others; nothing is interactive on the machines.

    -WhatIf is passed to Connect-EdgeConnector on every machine: each machine says what it would
    write and writes nothing, and a machine without the module gets no copy of it. Any other
    Connect-EdgeConnector parameter reaches every machine through -ConnectParameter.

.EXAMPLE
    # WinRM (Windows machines in a domain): the token handed over by the platform, from a vault.
    $token = Get-Secret -Vault NaraOnboarding -Name edge-connector-token
    $machines = Get-Content .\kiosks.txt
    .\Onboard-Machines.ps1 -ComputerName $machines -Token $token -Organization org_1 `
        -InstallPath 'C:\Program Files\EdgeConnector' -ModulePath (Get-Module NaraAuth -ListAvailable)[0].ModuleBase |
        Export-Csv .\onboarding.csv -NoTypeInformation

.EXAMPLE
    # SSH (PowerShell 7 on both ends), key-based, 20 machines at a time; what would happen first.
    .\Onboard-Machines.ps1 -HostName edge@srv-01, edge@srv-02 -KeyFilePath ~/.ssh/id_ed25519 `
        -DeploymentId dep_abc123 -DeploymentSecret (Get-Secret nara-deployment-dep_abc123) `
        -InstallPath /opt/edge-connector -ThrottleLimit 20 -WhatIf

.EXAMPLE
    # The machines that need a second look, after a run.
    $report = .\Onboard-Machines.ps1 -Session $sessions -Token $token
    $report | Where-Object Status -in 'Unreachable', 'Failed' | Format-Table ComputerName, Status, ErrorId, Detail
#>
[CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ComputerName')]
[OutputType('NaraAuth.Examples.MachineOnboardingResult')]
param(
    # Machines reached over WinRM.
    [Parameter(Mandatory, ParameterSetName = 'ComputerName', Position = 0)]
    [string[]] $ComputerName,

    # The account for WinRM (default: the admin running the script).
    [Parameter(ParameterSetName = 'ComputerName')]
    [pscredential] $Credential,

    [Parameter(ParameterSetName = 'ComputerName')]
    [switch] $UseSSL,

    # Machines reached over SSH, each as host or user@host.
    [Parameter(Mandatory, ParameterSetName = 'HostName')]
    [string[]] $HostName,

    # The SSH account for the machines named without one.
    [Parameter(ParameterSetName = 'HostName')]
    [string] $UserName,

    # The SSH private key (the machines know its public key).
    [Parameter(ParameterSetName = 'HostName')]
    [string] $KeyFilePath,

    [Parameter(ParameterSetName = 'HostName')]
    [ValidateRange(1, 65535)]
    [int] $Port,

    # SSH client options, for example @{ StrictHostKeyChecking = 'yes'; UserKnownHostsFile = '...' }.
    [Parameter(ParameterSetName = 'HostName')]
    [hashtable] $Options,

    # Sessions opened beforehand (any transport); they are left open.
    [Parameter(Mandatory, ParameterSetName = 'Session')]
    [System.Management.Automation.Runspaces.PSSession[]] $Session,

    # The token for every machine (Get-Secret, Read-Host -AsSecureString or Get-AuthToken's Token).
    [securestring] $Token,

    # The deployment of server installations (with -DeploymentSecret).
    [string] $DeploymentId,

    [securestring] $DeploymentSecret,

    # The Edge Connector installation on each machine, as that machine sees it ('~' is the
    # remote account's home); by default the module's own default there.
    [string] $InstallPath,

    # Where the runtime reads the deployment credentials (default: deployment.json in -InstallPath).
    [string] $CredentialsPath,

    # The organization every machine must belong to.
    [string] $Organization,

    # The platform (default: the machine's own NARA_BASE_URL or config.json, else https://app.nara.de).
    [string] $BaseUrl,

    # A stored token with less validity left than this is replaced (default: Connect-EdgeConnector's).
    [timespan] $MinimumValidity,

    # More Connect-EdgeConnector parameters for every machine, for example @{ SkipBundleSync = $true }.
    [hashtable] $ConnectParameter = @{},

    # The NaraAuth module folder (holding NaraAuth.psd1) to copy to machines that lack it.
    [string] $ModulePath,

    # How many machines are worked on at once.
    [ValidateRange(1, 1000)]
    [int] $ThrottleLimit = 32
)

$ErrorActionPreference = 'Stop'

# Arguments that cannot work stop the run before any machine is contacted, with their own id.
function Stop-Onboarding([string] $Id, [string] $Message, $Target) {
    $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.ArgumentException]::new($Message), $Id, 'InvalidArgument', $Target))
}
if ([bool]$Token -eq [bool]$DeploymentId) { Stop-Onboarding 'CredentialMissing' 'Give either -Token, or -DeploymentId with -DeploymentSecret.' $null }
if ($DeploymentId -and -not $DeploymentSecret) { Stop-Onboarding 'DeploymentSecretMissing' '-DeploymentId needs -DeploymentSecret (a SecureString).' $DeploymentId }
if ($DeploymentId -and -not ($InstallPath -or $CredentialsPath)) { Stop-Onboarding 'CredentialsPathMissing' '-DeploymentId needs -InstallPath or -CredentialsPath: where the runtime reads its credentials.' $DeploymentId }
$mode = if ($Token) { 'Token' } else { 'Deployment' }
$moduleVersion = $null
if ($ModulePath) {
    $manifest = Join-Path $ModulePath 'NaraAuth.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) { Stop-Onboarding 'ModuleManifestNotFound' "No NaraAuth.psd1 in '$ModulePath'." $ModulePath }
    $moduleVersion = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
}

# $Answer: what the machine reported (Organization, ExpiresOn, Path), or $null.
function New-MachineResult($Name, $Status, $Detail, $ErrorId, $Answer) {
    [pscustomobject]@{
        PSTypeName   = 'NaraAuth.Examples.MachineOnboardingResult'
        ComputerName = $Name
        Mode         = $mode
        Status       = [string]$Status
        Organization = if ($Answer) { $Answer.Organization } else { $null }
        ExpiresOn    = if ($Answer -and $Answer.ExpiresOn) { [datetimeoffset]$Answer.ExpiresOn } else { $null }
        Path         = if ($Answer) { $Answer.Path } else { $null }
        Detail       = $Detail
        ErrorId      = $ErrorId
    }
}

# The account of an SSH connection ($null for WinRM). By type name: Windows PowerShell 5.1 has no SSH type.
function Get-SshUser($ConnectionInfo) {
    if ($ConnectionInfo.GetType().Name -eq 'SSHConnectionInfo') { $ConnectionInfo.UserName } else { $null }
}

# A machine is named as the admin wrote it; a session (or a session that failed to open) is
# matched back to that name by its connection: host, and for SSH the account.
function Get-ConnectionKey($ConnectionInfo) {
    "$(Get-SshUser $ConnectionInfo)@$($ConnectionInfo.ComputerName)".ToLowerInvariant()
}

# --- Sessions: opened in parallel; a machine that cannot be reached becomes its own result.
$names = @{}
$opened = @()
$connectErrors = @()
try {
    if ($PSCmdlet.ParameterSetName -eq 'Session') {
        $sessions = @($Session | Where-Object State -eq 'Opened')
        foreach ($s in $Session) {
            $name = $s.ComputerName
            $user = Get-SshUser $s.Runspace.ConnectionInfo
            if ($user) { $name = "$user@$name" }
            $names[$s.InstanceId] = $name
            if ($s.State -ne 'Opened') { New-MachineResult $name 'Unreachable' "The session is $($s.State)." 'PSSessionNotOpened' $null }
        }
    }
    else {
        $open = @{ ErrorAction = 'SilentlyContinue'; ErrorVariable = 'connectErrors' }
        $wanted = @{}
        if ($PSCmdlet.ParameterSetName -eq 'HostName') {
            foreach ($target in $HostName) {
                $user, $machine = if ($target -match '^(.+)@([^@]+)$') { $Matches[1], $Matches[2] } else { $UserName, $target }
                $wanted["$user@$machine".ToLowerInvariant()] = $target
            }
            $open.HostName = $HostName
            foreach ($p in 'UserName', 'KeyFilePath', 'Port', 'Options') { if ($PSBoundParameters.ContainsKey($p)) { $open[$p] = $PSBoundParameters[$p] } }
        }
        else {
            foreach ($target in $ComputerName) { $wanted["@$target".ToLowerInvariant()] = $target }
            $open.ComputerName = $ComputerName
            # (SSH sessions are opened all at once: New-PSSession -HostName has no throttle.)
            $open.ThrottleLimit = $ThrottleLimit
            if ($Credential) { $open.Credential = $Credential }
            if ($UseSSL) { $open.UseSSL = $true }
        }
        $opened = @(New-PSSession @open)
        $sessions = $opened
        foreach ($s in $opened) { $names[$s.InstanceId] = $wanted[(Get-ConnectionKey $s.Runspace.ConnectionInfo)] }
        foreach ($e in $connectErrors) {
            $info = if ($e.TargetObject -is [System.Management.Automation.Runspaces.Runspace]) { $e.TargetObject.ConnectionInfo } else { $null }
            $name = if ($info) { $wanted[(Get-ConnectionKey $info)] }
            if (-not $name) { $name = if ($info) { $info.ComputerName } else { [string]$e.TargetObject } }
            New-MachineResult $name 'Unreachable' $e.Exception.Message $e.FullyQualifiedErrorId $null
        }
    }

    # --- The module on each machine. Where that version is missing it is sent as one zip, to
    # all those machines at once (Copy-Item -ToSession would copy to one machine at a time), and
    # unpacked beside its final folder before it is moved there: a copy that broke off is never
    # taken for an installed module.
    $ready = @($sessions)
    if ($sessions -and $ModulePath) {
        $found = @(Invoke-Command -Session $sessions -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue -ScriptBlock {
                param($Version)
                [pscustomobject]@{
                    Installed = [bool](Get-Module -ListAvailable -Name NaraAuth | Where-Object { $_.Version -eq $Version })
                    Folder    = [System.IO.Path]::Combine(($env:PSModulePath -split [System.IO.Path]::PathSeparator)[0], 'NaraAuth', $Version)
                }
            } -ArgumentList $moduleVersion)
        $lacking = @{}
        foreach ($f in $found) { if (-not $f.Installed) { $lacking[$f.RunspaceId] = $f.Folder } }
        $copyTo = @()
        $ready = @()
        foreach ($s in $sessions) {
            if (-not $lacking.ContainsKey($s.InstanceId)) { $ready += $s }
            elseif ($PSCmdlet.ShouldProcess($names[$s.InstanceId], "Copy the NaraAuth module $moduleVersion to '$($lacking[$s.InstanceId])'")) { $copyTo += $s }
            else { New-MachineResult $names[$s.InstanceId] 'WhatIf' "Would copy the module to '$($lacking[$s.InstanceId])', then onboard." $null $null }
        }
        if ($copyTo) {
            Add-Type -AssemblyName System.IO.Compression
            $root = (Resolve-Path -LiteralPath $ModulePath).ProviderPath.TrimEnd('\', '/')
            $buffer = [System.IO.MemoryStream]::new()
            $archive = [System.IO.Compression.ZipArchive]::new($buffer, 'Create', $true)
            try {
                foreach ($file in Get-ChildItem -LiteralPath $root -Recurse -File) {
                    $into = $archive.CreateEntry($file.FullName.Substring($root.Length + 1).Replace('\', '/')).Open()
                    $from = [System.IO.File]::OpenRead($file.FullName)
                    try { $from.CopyTo($into) } finally { $from.Dispose(); $into.Dispose() }
                }
            }
            finally { $archive.Dispose() }

            $installed = @{}
            Invoke-Command -Session $copyTo -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue -ArgumentList $moduleVersion, $buffer.ToArray() -ScriptBlock {
                param($Version, [byte[]] $Zip)
                $target = [System.IO.Path]::Combine(($env:PSModulePath -split [System.IO.Path]::PathSeparator)[0], 'NaraAuth', $Version)
                $partial = "$target.partial-" + [guid]::NewGuid().ToString('n')
                try {
                    Add-Type -AssemblyName System.IO.Compression
                    $archive = [System.IO.Compression.ZipArchive]::new([System.IO.MemoryStream]::new($Zip), 'Read')
                    try {
                        foreach ($entry in $archive.Entries) {
                            $path = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($partial, $entry.FullName))
                            if (-not $path.StartsWith($partial + [System.IO.Path]::DirectorySeparatorChar)) { throw "The module archive names a file outside its folder: $($entry.FullName)" }
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
                    [pscustomobject]@{ Installed = $false; Detail = "Could not copy the module to '$target': $($_.Exception.Message)" }
                }
            } | ForEach-Object { $installed[$_.RunspaceId] = $_ }
            foreach ($s in $copyTo) {
                $copy = $installed[$s.InstanceId]
                if ($copy -and $copy.Installed) { $ready += $s }
                else { New-MachineResult $names[$s.InstanceId] 'Failed' $(if ($copy) { $copy.Detail } else { 'The machine gave no answer while the module was copied.' }) 'ModuleCopyFailed' $null }
            }
        }
    }

    # --- Onboarding, on every machine at once. Everything the machine needs travels as
    # arguments; the secrets as SecureStrings.
    $settings = @{
        InstallPath = $InstallPath; CredentialsPath = $CredentialsPath; DeploymentId = $DeploymentId
        Organization = $Organization; BaseUrl = $BaseUrl
        MinimumValidity = if ($PSBoundParameters.ContainsKey('MinimumValidity')) { $MinimumValidity } else { $null }
        More = $ConnectParameter
        ModuleVersion = $moduleVersion; WhatIf = [bool]$WhatIfPreference
    }
    $onboard = {
        param($Settings, [securestring] $Token, [securestring] $DeploymentSecret)
        $ErrorActionPreference = 'Stop'
        function Answer($Status, $Detail, $Connection, $Path, $ErrorId) {
            [pscustomobject]@{
                Status = [string]$Status; Detail = $Detail; ErrorId = $ErrorId; Path = $Path
                Organization = if ($Connection) { $Connection.Organization } else { $null }
                # As UTC DateTime: remoting carries it whole, where a DateTimeOffset arrives as a property bag.
                ExpiresOn = if ($Connection -and $Connection.ExpiresOn) { $Connection.ExpiresOn.UtcDateTime } else { $null }
            }
        }
        function Resolve-MachinePath($Path) { if ($Path) { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path) } }
        try {
            $import = @{ Name = 'NaraAuth' }
            if ($Settings.ModuleVersion) { $import.RequiredVersion = $Settings.ModuleVersion }
            Import-Module @import
            $common = @{} + $Settings.More
            $common.Confirm = $false; $common.WhatIf = $Settings.WhatIf
            if ($Settings.BaseUrl) { $common.BaseUrl = $Settings.BaseUrl }
            $installDir = Resolve-MachinePath $Settings.InstallPath
            if ($installDir) { $common.InstallPath = $installDir }

            if ($Settings.DeploymentId) {
                $file = Resolve-MachinePath $Settings.CredentialsPath
                if (-not $file) { $file = [System.IO.Path]::Combine($installDir, 'deployment.json') }
                if ([System.IO.File]::Exists($file)) {
                    # Already onboarded? Verify the saved file as the runtime reads it; writes nothing.
                    $saved = [Environment]::GetEnvironmentVariable('DEPLOYMENT_CREDENTIALS_PATH')
                    try {
                        [Environment]::SetEnvironmentVariable('DEPLOYMENT_CREDENTIALS_PATH', $file)
                        $check = $common.Clone(); $check.WhatIf = $false
                        $existing = Connect-EdgeConnector -Deployment @check
                    }
                    catch { $existing = $null } # they no longer verify: replaced below
                    finally { [Environment]::SetEnvironmentVariable('DEPLOYMENT_CREDENTIALS_PATH', $saved) }
                    if ($existing -and $existing.DeploymentId -eq $Settings.DeploymentId) {
                        return Answer 'AlreadyVerified' 'The saved credentials verify; nothing changed.' $null $file $null
                    }
                }
                $c = Connect-EdgeConnector -DeploymentId $Settings.DeploymentId -DeploymentSecret $DeploymentSecret -SaveCredentialsTo $file @common
                if (-not $c) { return Answer 'WhatIf' "Would verify the deployment and save its credentials to '$file'." $null $file $null }
                return Answer $c.Status 'Verified and saved.' $c $c.CredentialsPath $null
            }

            $connect = @{ Token = $Token }
            if ($Settings.MinimumValidity) { $connect.MinimumValidity = $Settings.MinimumValidity }
            if ($Settings.Organization) { $connect.Organization = $Settings.Organization }
            $c = Connect-EdgeConnector @connect @common
            if (-not $c) { return Answer 'WhatIf' 'Would validate the token and save it with the default bundle.' $null $null $null }
            Answer $c.Status $(if ($c.Status -eq 'AlreadyConnected') { 'The stored token is valid; nothing changed.' } else { 'Saved.' }) $c $c.TokenPath $null
        }
        catch {
            # The module's messages never hold a secret, so they are safe in the report.
            Answer 'Failed' $_.Exception.Message $null $null $_.FullyQualifiedErrorId
        }
    }

    if ($ready) {
        $answered = @{}
        $runErrors = @()
        Invoke-Command -Session $ready -ThrottleLimit $ThrottleLimit -ScriptBlock $onboard -ArgumentList $settings, $Token, $DeploymentSecret `
            -ErrorAction SilentlyContinue -ErrorVariable runErrors | ForEach-Object {
            $answered[$_.RunspaceId] = $true
            New-MachineResult $names[$_.RunspaceId] $_.Status $_.Detail $_.ErrorId $_
        }
        # A machine that broke off without an answer (the session died) is reported, not lost.
        foreach ($s in $ready) {
            if ($answered.ContainsKey($s.InstanceId)) { continue }
            $why = @($runErrors | Where-Object { $_.OriginInfo -and $_.OriginInfo.RunspaceID -eq $s.InstanceId }) + @($runErrors) | Select-Object -First 1
            New-MachineResult $names[$s.InstanceId] 'Failed' $(if ($why) { $why.Exception.Message } else { 'The machine gave no answer.' }) $(if ($why) { $why.FullyQualifiedErrorId } else { 'NoAnswer' }) $null
        }
    }
}
finally {
    # Only the sessions this script opened; those passed with -Session stay open.
    if ($opened) { Remove-PSSession -Session $opened -WhatIf:$false }
}
