# Shared by the Pester files (dot-sourced in each file's BeforeAll). Each file gets its own
# emulator process started from the built binary on a free port, and its own temporary profile
# (HOME, EDGE_CONNECTOR_HOME, ...), so nothing reaches the real user's files; Complete-NaraTest
# in AfterAll stops the emulator by its process id and puts everything back.
# Runs on Windows PowerShell 5.1 and PowerShell 7.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Manifest = Join-Path $script:RepoRoot 'out/NaraAuth/NaraAuth.psd1'
$script:OnWindows = [System.Environment]::OSVersion.Platform -eq 'Win32NT'
Import-Module (Join-Path $script:RepoRoot 'tools/DevTools.psm1') -Force
$script:ProfileVariables = 'HOME', 'USERPROFILE', 'XDG_CONFIG_HOME', 'APPDATA', 'LOCALAPPDATA', 'EDGE_CONNECTOR_HOME', 'NARA_BASE_URL',
    'NARA_TOKEN', 'EP_BASE_URL', 'EP_TOKEN', 'NODETOOL_CONFIG_PATH', 'WORKER_AUTH_TOKEN', 'DEPLOYMENT_ID', 'DEPLOYMENT_SECRET', 'DEPLOYMENT_CREDENTIALS_PATH',
    'CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'BROWSER'

function Initialize-NaraTest {
    <# Imports the staged module by its manifest; with -Emulator starts one and points the module at it. #>
    param([switch] $Emulator, [switch] $PreApprove)
    $script:SavedEnvironment = @{}
    foreach ($name in $script:ProfileVariables) { $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name) }
    $script:TestRoot = New-TestDirectory
    $userProfile = Join-Path $script:TestRoot 'profile'
    New-Item -ItemType Directory -Force -Path $userProfile | Out-Null
    $env:HOME = $userProfile; $env:USERPROFILE = $userProfile
    $env:XDG_CONFIG_HOME = Join-Path $userProfile '.config'
    $env:APPDATA = Join-Path $userProfile 'AppData/Roaming'; $env:LOCALAPPDATA = Join-Path $userProfile 'AppData/Local'
    # The suite runs as a person would at a console unless a test says it is CI.
    foreach ($name in 'CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'NARA_TOKEN', 'EP_TOKEN', 'WORKER_AUTH_TOKEN', 'DEPLOYMENT_ID', 'DEPLOYMENT_SECRET', 'DEPLOYMENT_CREDENTIALS_PATH', 'NODETOOL_CONFIG_PATH', 'BROWSER') {
        Remove-Item "Env:$name" -ErrorAction SilentlyContinue
    }
    if ($PSVersionTable.PSEdition -eq 'Core') { $PSStyle.OutputRendering = 'PlainText' }
    Import-Module $script:Manifest -Force
    $script:Emulator = $null
    if ($Emulator) {
        $script:Emulator = Start-NaraEmulator -PreApprove:$PreApprove
        $script:BaseUrl = $script:Emulator.BaseUrl
        $env:NARA_BASE_URL = $script:BaseUrl
        $env:EP_BASE_URL = $script:BaseUrl
    }
}

function Complete-NaraTest {
    if ($script:Emulator) { Stop-NaraEmulator $script:Emulator; $script:Emulator = $null }
    foreach ($name in $script:ProfileVariables) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnvironment[$name]) }
    if ($script:TestRoot) { Remove-Item -Recurse -Force -Path $script:TestRoot -ErrorAction SilentlyContinue }
}

function New-TestDirectory {
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ('naraauth-pester-' + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

function Use-Installation {
    <# A fresh, empty Edge Connector installation folder (EDGE_CONNECTOR_HOME) for one test. #>
    $dir = Join-Path $script:TestRoot ('install-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory -Path $dir | Out-Null
    $env:EDGE_CONNECTOR_HOME = $dir
    $dir
}

function New-EmulatorToken {
    <# A platform JWT signed by the emulator (what a browser login or a handover file gives). #>
    param([string] $Org = 'org_1', [string] $Role = 'admin', [string] $Subject = 'user_1', [int] $TtlSeconds = 28800)
    $body = @{ org = $Org; role = $Role; sub = $Subject; ttlSeconds = $TtlSeconds } | ConvertTo-Json
    (Invoke-RestMethod -Method Post -Uri "$script:BaseUrl/_emulator/tokens" -ContentType 'application/json' -Body $body).token
}

function ConvertTo-Base64Url([byte[]] $Bytes) {
    [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
}

function New-ForeignJwt {
    <# A well-formed RS256 JWT with the platform's claims, signed by a key the platform never published. #>
    param([string] $Subject = 'user_1')
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $header = '{"alg":"RS256","typ":"JWT","kid":"unpublished-key"}'
    $payload = '{{"sub":"{2}","org":"org_1","role":"admin","iss":"https://nara.emulator","iat":{0},"exp":{1}}}' -f $now, ($now + 3600), $Subject
    $rsa = [System.Security.Cryptography.RSA]::Create()
    try {
        $signed = (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes($header))) + '.' + (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes($payload)))
        $signature = $rsa.SignData([Text.Encoding]::ASCII.GetBytes($signed), [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $signed + '.' + (ConvertTo-Base64Url $signature)
    }
    finally { $rsa.Dispose() }
}

function Connect-TestLogin {
    <# Logs a fresh installation in with an emulator token; returns the JWT (the secret to scan for). #>
    param([string] $Role = 'admin')
    Use-Installation | Out-Null
    $jwt = New-EmulatorToken -Role $Role
    Connect-EdgeConnector -Token $jwt -SkipBundleSync | Out-Null
    $jwt
}

function Invoke-Captured {
    <#
    .SYNOPSIS
        Runs a script block with every stream merged (*>&1) and inside a transcript; returns the
        objects, all of it as text, and the transcript's text, for secret scans and host checks.
    #>
    param([Parameter(Mandatory)] [scriptblock] $Script)
    $transcript = Join-Path $script:TestRoot ('transcript-' + [guid]::NewGuid().ToString('n') + '.txt')
    Start-Transcript -Path $transcript -Force | Out-Null
    $records = New-Object System.Collections.Generic.List[object]
    # A terminating error is kept as the last record, as a person would see it at the prompt.
    try { & $Script *>&1 | ForEach-Object { $records.Add($_) } }
    catch { $records.Add($_) }
    finally { Stop-Transcript | Out-Null }
    $text = ($records | Out-String -Width 400) + (($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [string] } | Format-List * | Out-String -Width 400))
    $transcriptText = Get-Content -Raw -Path $transcript
    Remove-Item -Path $transcript -Force
    [pscustomobject]@{
        Output     = @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.VerboseRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] -and $_ -isnot [System.Management.Automation.DebugRecord] })
        Errors     = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        Verbose    = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        Warnings   = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        Text       = $text
        Transcript = $transcriptText
    }
}

function Assert-NoSecret {
    <# Neither the merged streams nor the transcript hold the secret, except on a CI masking line. #>
    param([Parameter(Mandatory)] $Captured, [Parameter(Mandatory)] [string[]] $Secret)
    foreach ($value in $Secret) {
        $pattern = [regex]::Escape($value)
        $Captured.Text | Should -Not -Match $pattern
        $lines = @($Captured.Transcript -split "`r?`n" | Where-Object { $_ -match $pattern -and $_ -notmatch '^(##vso\[task\.setsecret\]|::add-mask::)' })
        $lines | Should -BeNullOrEmpty
    }
}

function Get-ErrorFromScript {
    <# The ErrorRecord a script block ends with under -ErrorAction Stop. #>
    param([Parameter(Mandatory)] [scriptblock] $Script)
    try { & $Script; $null }
    catch { $_ }
}

function Get-Single {
    <# The one object of a result (fails the test when there are none or several). #>
    param($Items)
    $all = @($Items)
    $all.Count | Should -Be 1
    $all[0]
}

function Format-Rendered {
    <# An object as a person sees it: its default format view, as text. #>
    param([Parameter(ValueFromPipeline)] $InputObject)
    begin { $items = New-Object System.Collections.Generic.List[object] }
    process { $items.Add($InputObject) }
    end { $items | Out-String -Width 200 }
}

function Invoke-CiStep {
    <#
    .SYNOPSIS
        Runs commands after importing the module in a fresh pwsh with TF_BUILD or GITHUB_ACTIONS
        set, as a pipeline step runs (the CI agent reads the step's console output); returns the
        lines it printed.
    #>
    param([Parameter(Mandatory)] [ValidateSet('TF_BUILD', 'GITHUB_ACTIONS')] [string] $Variable, [Parameter(Mandatory)] [string] $Script)
    $step = Invoke-ChildPwsh -Environment @{ $Variable = 'true' } -Script "Import-Module '$script:Manifest'; $Script"
    $step.ExitCode | Should -Be 0 -Because $step.Error
    , @($step.Output -split "`r?`n")
}

function Get-MaskLine {
    <# The line with which the CI system behind the variable is told to mask a secret. #>
    param([Parameter(Mandatory)] [string] $Variable, [Parameter(Mandatory)] [string] $Secret)
    $prefix = @{ TF_BUILD = '##vso[task.setsecret]'; GITHUB_ACTIONS = '::add-mask::' }[$Variable]
    $prefix + $Secret
}

function Use-CiVariable {
    <# Runs a script block as a CI job (TF_BUILD or GITHUB_ACTIONS set), then clears the variable. #>
    param([Parameter(Mandatory)] [ValidateSet('TF_BUILD', 'GITHUB_ACTIONS')] [string] $Name, [Parameter(Mandatory)] [scriptblock] $Script)
    [Environment]::SetEnvironmentVariable($Name, 'true')
    try { & $Script }
    finally { [Environment]::SetEnvironmentVariable($Name, $null) }
}

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs a script in a fresh pinned pwsh with no console input, as a CI agent runs a step;
        returns its exit code and what it printed. Environment values of $null remove a variable.
    #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 180, [string] $WorkingDirectory = $script:RepoRoot)
    $command = Get-PwshCommandLine
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = $command[0]
    $start.Arguments = '"{0}" -NoProfile -NonInteractive -EncodedCommand {1}' -f $command[1], $encoded
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true; $start.RedirectStandardError = $true; $start.RedirectStandardInput = $true
    $start.WorkingDirectory = $WorkingDirectory
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $start.EnvironmentVariables.Remove($name) } else { $start.EnvironmentVariables[$name] = [string] $Environment[$name] }
    }
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            # With whatever it started (an emulator), where the runtime can end a whole tree.
            if ($PSVersionTable.PSEdition -eq 'Core') { $process.Kill($true) } else { $process.Kill() }
            throw "The child pwsh did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
    }
    finally { $process.Dispose() }
}
