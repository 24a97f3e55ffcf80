# EdgePlane from a pipeline: Invoke-EdgePlaneRestMethod and Get-EdgePlaneIdentity with EP_TOKEN (a
# service-account token from a secret variable) or an OIDC access token passed with -Token, in a
# pwsh step as CI runs it (TF_BUILD set, no console input), against the emulator's EdgePlane in
# AUTH_MODE token and oidc.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
    function script:New-ServiceAccountToken([string] $Name = 'release-pipeline') {
        $body = @{ name = $Name } | ConvertTo-Json
        (Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/edgeplane/service-accounts" -ContentType 'application/json' -Body $body).token
    }
    function script:Set-EdgePlaneAuthMode([string] $Mode, [string] $Audience) {
        $body = @{ mode = $Mode; audience = $Audience } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/edgeplane/auth-mode" -ContentType 'application/json' -Body $body | Out-Null
    }
    # An access token of the emulator's identity provider, fetched over HTTP by the test itself
    # (the device grant, with the person's approval given through the emulator's control).
    function script:Get-ProviderAccessToken {
        $device = Invoke-RestMethod -Method Post -Uri "$BaseUrl/oidc/device_authorization" -Body @{ client_id = 'naraauth-cli'; scope = 'openid' }
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/oidc/device/$($device.user_code)/approve" | Out-Null
        (Invoke-RestMethod -Method Post -Uri "$BaseUrl/oidc/token" -Body @{
            client_id = 'naraauth-cli'; grant_type = 'urn:ietf:params:oauth:grant-type:device_code'; device_code = $device.device_code
        }).access_token
    }
    # A pipeline step: a fresh pwsh with TF_BUILD, no console input, the module imported.
    function script:Invoke-PipelineStep([string] $Script, [hashtable] $Environment) {
        $Environment['TF_BUILD'] = 'True'
        $Environment['EP_BASE_URL'] = $BaseUrl
        Invoke-ChildPwsh -Environment $Environment -Script "`$ErrorActionPreference = 'Stop'; Import-Module '$Manifest'; $Script"
    }
    # Each test starts from token mode, no faults and no EP_TOKEN.
    function script:Reset-EdgePlane {
        Set-EdgePlaneAuthMode -Mode token
        Invoke-RestMethod -Method Delete -Uri "$BaseUrl/_emulator/faults" | Out-Null
        Remove-Item Env:EP_TOKEN -ErrorAction SilentlyContinue
    }
}
AfterAll { Complete-NaraTest }

Describe 'Invoke-EdgePlaneRestMethod' {
    AfterEach { Reset-EdgePlane }

    It 'with EP_TOKEN from a secret variable, a CI step checks who it is, creates and lists projects, and never prints the token' {
        $token = New-ServiceAccountToken
        $step = Invoke-PipelineStep -Environment @{ EP_TOKEN = $token } -Script @'
"who=" + (Get-EdgePlaneIdentity).Subject
"created=" + (Invoke-EdgePlaneRestMethod -Method Post -Path /api/projects -Body @{ name = 'from-pester' }).name
"listed=" + ((Invoke-EdgePlaneRestMethod /api/projects).name -join ',')
Get-EdgePlaneIdentity -Verbose 4>&1 | Out-String -Width 300
'@
        $step.ExitCode | Should -Be 0 -Because $step.Error
        $step.Output | Should -Match '(?m)^who=release-pipeline\s*$'
        $step.Output | Should -Match '(?m)^created=from-pester\s*$'
        $step.Output | Should -Match '(?m)^listed=from-pester\s*$'
        $step.Output | Should -Match 'a service-account token from EP_TOKEN'
        $step.Output | Should -Not -Match ([regex]::Escape($token))
        $step.Error | Should -Not -Match ([regex]::Escape($token))
    }

    It 'accepts an OIDC access token of the identity provider with -Token in AUTH_MODE oidc, and reports the 401 clearly in token mode' {
        $accessToken = Get-ProviderAccessToken
        $script = @'
try {
    "who=" + (Get-EdgePlaneIdentity -Token $env:PIPELINE_ACCESS_TOKEN).Subject
    "created_by=" + (Invoke-EdgePlaneRestMethod -Token (ConvertTo-SecureString $env:PIPELINE_ACCESS_TOKEN -AsPlainText -Force) -Method Post /api/projects @{ name = 'oidc-made' }).created_by
} catch {
    "error=" + $_.FullyQualifiedErrorId
    "category=" + $_.CategoryInfo.Category
    "message=" + $_.Exception.Message
}
'@
        Set-EdgePlaneAuthMode -Mode oidc
        $accepted = Invoke-PipelineStep -Environment @{ PIPELINE_ACCESS_TOKEN = $accessToken } -Script $script
        $accepted.ExitCode | Should -Be 0 -Because $accepted.Error
        $accepted.Output | Should -Match '(?m)^who=ada\s*$'
        $accepted.Output | Should -Match '(?m)^created_by=ada\s*$'

        Set-EdgePlaneAuthMode -Mode token
        $refused = Invoke-PipelineStep -Environment @{ PIPELINE_ACCESS_TOKEN = $accessToken } -Script $script
        $refused.Output | Should -Match '(?m)^error=EdgePlaneTokenRejected,'
        $refused.Output | Should -Match '(?m)^category=AuthenticationError\s*$'
        $refused.Output | Should -Match 'an OIDC access token from the -Token parameter'
        $refused.Output | Should -Match 'AUTH_MODE=token'
        foreach ($step in $accepted, $refused) {
            ($step.Output + $step.Error) | Should -Not -Match ([regex]::Escape($accessToken))
        }
    }

    It 'refuses an access token for another audience in oidc mode with the reason EdgePlane gave' {
        $accessToken = Get-ProviderAccessToken
        Set-EdgePlaneAuthMode -Mode oidc -Audience 'edgeplane-api'
        $err = Get-ErrorFromScript { Invoke-EdgePlaneRestMethod /api/projects -Token $accessToken -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneTokenRejected,*'
        $err.Exception.Message | Should -Match 'invalid audience'
        $err.Exception.Message | Should -Not -Match ([regex]::Escape($accessToken))
    }

    It 'fails with InvalidApiPath (InvalidArgument) for a -Path that would leave EdgePlane' {
        $env:EP_TOKEN = New-ServiceAccountToken
        foreach ($path in '//127.0.0.2/x', 'https://example.com/api/projects', '/ //127.0.0.2/x') {
            $err = Get-ErrorFromScript { Invoke-EdgePlaneRestMethod -Path $path -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidApiPath,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }

    It 'never shows EP_TOKEN when EdgePlane echoes it, in any stream or the transcript' {
        $token = New-ServiceAccountToken
        $env:EP_TOKEN = $token
        $fault = @{ pathPrefix = '/api/projects'; echoCredentials = $true; status = 401; count = 5 } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/faults" -ContentType 'application/json' -Body $fault | Out-Null
        $captured = Invoke-Captured { Invoke-EdgePlaneRestMethod /api/projects -Verbose }
        $err = Get-Single $captured.Errors
        $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneTokenRejected,*'
        $err.Exception.Message | Should -Match '\*\*\*'
        Assert-NoSecret $captured -Secret $token
    }

    It 'shows a changing call under -WhatIf without sending it' {
        $env:EP_TOKEN = New-ServiceAccountToken
        Invoke-EdgePlaneRestMethod -Method Post /api/projects @{ name = 'kept' } | Out-Null
        Invoke-EdgePlaneRestMethod -Method Delete /api/projects/1 -WhatIf
        @(Invoke-EdgePlaneRestMethod /api/projects).name | Should -Contain 'kept'
    }
}

Describe 'Get-EdgePlaneIdentity in a pipeline' {
    AfterEach { Reset-EdgePlane }

    It 'fails with EdgePlaneUrlMissing when EP_TOKEN has no EdgePlane named, instead of using a session file''s base_url' {
        $env:EP_TOKEN = New-ServiceAccountToken
        # A session file naming another server: the pipeline's token must not follow it there.
        $sessionFile = Join-Path $env:HOME '.edgeplane/session.json'
        New-Item -ItemType Directory -Force -Path (Split-Path $sessionFile) | Out-Null
        Set-Content -Path $sessionFile -Value '{"token": "mcs_someone_elses", "base_url": "http://127.0.0.2:9"}'
        $saved = $env:EP_BASE_URL
        Remove-Item Env:EP_BASE_URL
        try {
            $err = Get-ErrorFromScript { Get-EdgePlaneIdentity -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneUrlMissing,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match 'EP_TOKEN'
        }
        finally { $env:EP_BASE_URL = $saved; Remove-Item $sessionFile }
    }
}
