<#
.SYNOPSIS
    The NaraAuth main job against the local emulator, as its three kinds of users run it.

.DESCRIPTION
    Starts the emulator from its built binary (approving browser logins by itself, where a person
    would click Approve), imports the staged module by its manifest and walks the main scenarios:
    the helpdesk's browser login with the code shown, who is logged in, the EdgePlane CLI login,
    an admin's server token, a pipeline running an agent with it, revoking unused tokens and an
    Edge Server API key. Everything the module writes stays in a temporary profile and
    installation folder, removed at the end, and the emulator is always stopped.

    Run it from a console (the browser login needs a person at one):
        dotnet tool restore; dotnet pwsh ./build.ps1 -Task Demo
    or, after a build, `dotnet pwsh ./docs/examples/Demo.ps1`.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module (Join-Path $repo 'tools/DevTools.psm1') -Force

# The browser login rightly refuses to wait for a person when there is no console to type at (a
# pipe, a log). Run that way on Linux, the demo gives itself a pseudo-terminal (util-linux
# `script`), so it shows what a person at a console sees wherever it is started.
if ([Console]::IsInputRedirected -and $IsLinux -and -not $env:NARAAUTH_DEMO_IN_PTY -and (Get-Command script -ErrorAction SilentlyContinue)) {
    $pwsh = Get-PwshCommandLine
    $env:NARAAUTH_DEMO_IN_PTY = '1'
    try { & script -qefc "'$($pwsh[0])' '$($pwsh[1])' -NoProfile -File '$PSCommandPath'" /dev/null }
    finally { Remove-Item Env:NARAAUTH_DEMO_IN_PTY }
    exit $LASTEXITCODE
}
# In that pseudo-terminal no terminal answers the progress display's cursor queries: show the
# code and URL, but not the progress bar, which would wait for an answer forever.
if ($env:NARAAUTH_DEMO_IN_PTY) { $ProgressPreference = 'SilentlyContinue' }

function Show-Step([string] $Title) { Write-Host ''; Write-Host "== $Title" -ForegroundColor Cyan }

# The demo plays a person at a console, not a CI job, even when run inside one; its logins go to
# a temporary profile, never the user's real one.
$profileVariables = 'HOME', 'USERPROFILE', 'XDG_CONFIG_HOME', 'APPDATA', 'LOCALAPPDATA', 'EDGE_CONNECTOR_HOME', 'NARA_BASE_URL', 'EP_BASE_URL', 'CI', 'TF_BUILD', 'GITHUB_ACTIONS'
$saved = @{}
foreach ($name in $profileVariables) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
$work = Join-Path ([System.IO.Path]::GetTempPath()) ('naraauth-demo-' + [guid]::NewGuid().ToString('n'))
$emulator = $null
try {
    $emulator = Start-NaraEmulator -PreApprove
    Write-Host "Emulator (pre-approving browser logins) at $($emulator.BaseUrl), process $($emulator.Id)"

    $install = Join-Path $work 'EdgeConnector'
    $userProfile = Join-Path $work 'profile'
    New-Item -ItemType Directory -Force -Path $install, $userProfile | Out-Null
    $env:HOME = $userProfile; $env:USERPROFILE = $userProfile
    $env:XDG_CONFIG_HOME = Join-Path $userProfile '.config'
    $env:APPDATA = Join-Path $userProfile 'AppData/Roaming'; $env:LOCALAPPDATA = Join-Path $userProfile 'AppData/Local'
    $env:EDGE_CONNECTOR_HOME = $install
    $env:NARA_BASE_URL = $emulator.BaseUrl
    $env:EP_BASE_URL = $emulator.BaseUrl
    foreach ($name in 'CI', 'TF_BUILD', 'GITHUB_ACTIONS') { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }

    Import-Module (Join-Path $repo 'out/NaraAuth/NaraAuth.psd1') -Force

    Show-Step 'Helpdesk: browser login (the emulator approves it; a person would check the code and click Approve)'
    Connect-EdgeConnector -NoBrowser | Out-Default

    Show-Step 'Who is logged in, for which organization, until when (signature verified against the platform)'
    Get-AuthToken -Verify | Out-Default

    Show-Step 'Onboarding script, second run: nothing to do'
    Connect-EdgeConnector -NoBrowser | Out-Default

    Show-Step 'EdgePlane CLI login for the same person (the emulator completes the identity provider''s login)'
    Invoke-OidcCliLogin -NoBrowser | Out-Default
    Get-EdgePlaneIdentity | Out-Default

    Show-Step 'Admin: a server token for a CI pipeline (the secret is shown once, as a SecureString)'
    $serverToken = New-ServerToken -Name 'CI Pipeline'
    $serverToken | Out-Default

    Show-Step 'Pipeline: list the functional agents and run one with the server token'
    Get-NaraAgent -Token $serverToken.Token | Out-Default
    Get-NaraAgent -Token $serverToken.Token -Name 'summarizeTicket' |
        Start-NaraAgentRun -Token $serverToken.Token -Arguments @{ ticketNumber = '1234' } | Out-Default

    Show-Step 'Security review: revoke server tokens that were never used'
    $null = New-ServerToken -Name 'Old build agent'
    Get-ServerToken | Out-Default
    Get-ServerToken | Where-Object { -not $_.LastUsedAt } | Revoke-ServerToken -Confirm:$false -Verbose
    Get-ServerToken | Out-Default

    Show-Step 'Edge Server API key: generate one for a client, then check a key against its hash'
    $key = New-ApiKey -Id 'demo-client'
    $key | Out-Default
    $key | Test-ApiKey | Out-Default

    Write-Host ''
    Write-Host 'Demo finished.'
}
finally {
    if ($emulator) { Stop-NaraEmulator $emulator }
    foreach ($name in $profileVariables) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Remove-Module NaraAuth -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force -Path $work -ErrorAction SilentlyContinue
}
