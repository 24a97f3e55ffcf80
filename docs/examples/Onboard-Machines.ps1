<#
.SYNOPSIS
    Onboards the Edge Connector on many machines at once over PowerShell remoting, with one result
    row per machine, and is safe to run again.

.DESCRIPTION
    A thin layer over Connect-EdgeConnector -Session and Get-NaraAuthStatus -Session (see
    docs/remoting.md), for admins who name machines rather than sessions: it opens the sessions
    (WinRM with -ComputerName, SSH with -HostName, or uses -Session), lets the cmdlets do the work
    on every machine in parallel (-ThrottleLimit), and turns their answers and errors into one
    NaraAuth.Examples.MachineOnboardingResult per machine: ComputerName (as you named it), Mode,
    Status, Organization, ExpiresOn, Path, Detail and ErrorId.

      * Token mode (-Token): Connected, or AlreadyConnected where the stored token is still valid.
      * Deployment mode (-DeploymentId, -DeploymentSecret): the saved credentials file
        (-CredentialsPath, default deployment.json in -InstallPath) is verified first with
        Get-NaraAuthStatus -Verify; where it still verifies for that deployment the machine reports
        AlreadyVerified, elsewhere the credentials are verified and saved (Verified).
      * Unreachable: no session; Failed: the machine's error id; WhatIf: nothing was written.

    The cmdlets copy the module (the one imported here: -ModulePath names its folder) to machines
    that lack that version, and pass secrets only as SecureStrings.

.EXAMPLE
    $token = Get-Secret -Vault NaraOnboarding -Name edge-connector-token
    .\Onboard-Machines.ps1 -ComputerName (Get-Content .\kiosks.txt) -Token $token -Organization org_1 `
        -InstallPath 'C:\Program Files\EdgeConnector' | Export-Csv .\onboarding.csv -NoTypeInformation

.EXAMPLE
    .\Onboard-Machines.ps1 -HostName edge@srv-01, edge@srv-02 -KeyFilePath ~/.ssh/id_ed25519 `
        -DeploymentId dep_abc123 -DeploymentSecret (Get-Secret nara-deployment-dep_abc123) `
        -InstallPath /opt/edge-connector -ThrottleLimit 20 -WhatIf
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

    # The NaraAuth module folder (holding NaraAuth.psd1) to use here and copy to machines that lack it.
    [string] $ModulePath,

    # How many machines are worked on at once.
    [ValidateRange(1, 1000)]
    [int] $ThrottleLimit = 32
)

$ErrorActionPreference = 'Stop'
# Strict here whether or not the caller is (a profile, a build script): a run by hand behaves as one
# from a strict caller, so a property a record lacks fails every run alike, never only some.
Set-StrictMode -Version Latest

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

# The module whose cmdlets do the work, and which they copy to the machines.
if ($ModulePath) { Import-Module -Name (Join-Path $ModulePath 'NaraAuth.psd1') } else { Import-Module -Name NaraAuth }

function New-MachineResult($Name, $Status, $Detail, $ErrorId, $Answer) {
    [pscustomobject]@{
        PSTypeName   = 'NaraAuth.Examples.MachineOnboardingResult'
        ComputerName = $Name; Mode = $mode; Status = [string]$Status
        Organization = if ($Answer) { $Answer.Organization } else { $null }
        ExpiresOn    = if ($Answer -and $Answer.ExpiresOn) { $Answer.ExpiresOn.ToUniversalTime() } else { $null }
        Path         = if ($Answer) { $Answer.Path } else { $null }
        Detail       = $Detail; ErrorId = $ErrorId
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

    # --- The work, on every open machine at once, by the cmdlets themselves.
    $common = @{ Session = @($sessions); ThrottleLimit = $ThrottleLimit; WhatIf = [bool]$WhatIfPreference; ErrorAction = 'SilentlyContinue' }
    if ($BaseUrl) { $common.BaseUrl = $BaseUrl }
    if ($InstallPath) { $common.InstallPath = $InstallPath }
    $answers = @(); $failures = @()
    # A machine is matched back to the name the admin gave by its session's account and host.
    $byMachine = @{}
    foreach ($s in $sessions) { $byMachine[(Get-ConnectionKey $s.Runspace.ConnectionInfo)] = $names[$s.InstanceId] }
    # PSUserName is there for SSH sessions only: a WinRM answer lacks it, which strict mode must not mind.
    function Get-MachineName($Answer) {
        $account = $Answer.PSObject.Properties['PSUserName']
        $byMachine["$(if ($account) { $account.Value })@$($Answer.PSComputerName)".ToLowerInvariant()]
    }

    if ($sessions -and $DeploymentId) {
        $file = if ($CredentialsPath) { $CredentialsPath } else { "$($InstallPath.TrimEnd('/', '\'))/deployment.json" }
        $check = @{ Session = $sessions; ThrottleLimit = $ThrottleLimit; ErrorAction = 'SilentlyContinue' }
        if ($BaseUrl) { $check.BaseUrl = $BaseUrl }
        $kept = @(Get-NaraAuthStatus @check -Kind DeploymentCredentials -CredentialsPath $file -Verify |
                Where-Object { $_.State -eq 'Valid' -and $_.VerifiedOnline -and $_.Subject -eq $DeploymentId })
        # The status record itself is the answer: it has every property a row reads (Organization,
        # ExpiresOn, Path), where a bag of the path alone stops a strict run at the first kept machine.
        foreach ($k in $kept) { New-MachineResult (Get-MachineName $k) 'AlreadyVerified' 'The saved credentials verify; nothing changed.' $null $k }
        $keptNames = @($kept | ForEach-Object { Get-MachineName $_ })
        $common.Session = @($sessions | Where-Object { $names[$_.InstanceId] -notin $keptNames })
        if ($common.Session) {
            $answers = @(Connect-EdgeConnector @common @ConnectParameter -DeploymentId $DeploymentId -DeploymentSecret $DeploymentSecret -SaveCredentialsTo $file -ErrorVariable failures)
        }
    }
    elseif ($sessions) {
        $connect = @{ Token = $Token }
        if ($Organization) { $connect.Organization = $Organization }
        if ($PSBoundParameters.ContainsKey('MinimumValidity')) { $connect.MinimumValidity = $MinimumValidity }
        $answers = @(Connect-EdgeConnector @common @connect @ConnectParameter -ErrorVariable failures)
    }

    $reported = @{}
    foreach ($a in $answers) {
        $name = Get-MachineName $a
        $reported[$name] = $true
        $path = if ($a.Mode -eq 'Deployment') { $a.CredentialsPath } else { $a.TokenPath }
        New-MachineResult $name $a.Status $(if ($a.Status -like 'Already*') { 'Nothing changed.' } else { 'Saved.' }) $null ([pscustomobject]@{ Organization = $a.Organization; ExpiresOn = $a.ExpiresOn; Path = $path })
    }
    foreach ($e in $failures) {
        $key = ([string]$e.TargetObject).ToLowerInvariant()
        if ($key -notmatch '@') { $key = "@$key" } # WinRM: the host alone
        $name = if ($byMachine.ContainsKey($key)) { $byMachine[$key] } else { [string]$e.TargetObject }
        $reported[$name] = $true
        $status = if ($e.FullyQualifiedErrorId -like 'RemoteSessionNotOpened,*') { 'Unreachable' } else { 'Failed' }
        New-MachineResult $name $status $e.Exception.Message $e.FullyQualifiedErrorId $null
    }
    # Under -WhatIf a machine answers on the console only ("What if: ..."); so does one whose session broke without a word.
    foreach ($s in $common.Session) {
        $name = $names[$s.InstanceId]
        if ($reported.ContainsKey($name)) { continue }
        if ($WhatIfPreference) { New-MachineResult $name 'WhatIf' 'What the machine would do was shown; nothing was written.' $null $null }
        else { New-MachineResult $name 'Failed' 'The machine gave no answer.' 'NoAnswer' $null }
    }
}
finally {
    # Only the sessions this script opened; those passed with -Session stay open.
    if ($opened) { Remove-PSSession -Session $opened -WhatIf:$false }
}
