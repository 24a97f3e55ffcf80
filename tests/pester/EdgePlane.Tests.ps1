# Invoke-OidcCliLogin, Get-EdgePlaneIdentity and Disconnect-EdgePlane: the EdgePlane CLI login
# (the emulator completes the identity provider's page by itself here; typing a grant id at a
# prompt is in Console.Tests.ps1) and the session it leaves in ~/.edgeplane.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator -PreApprove
    $script:sessionFile = Join-Path $env:HOME '.edgeplane/session.json'
    function script:Read-SessionSecret { (Get-Content -Raw $sessionFile | ConvertFrom-Json).token }
}
AfterAll { Complete-NaraTest }

Describe 'Invoke-OidcCliLogin' {
    It 'logs in by polling, shows the URL, saves the session and returns it without the secret' {
        $captured = Invoke-Captured { Invoke-OidcCliLogin -NoBrowser -Verbose }
        $session = Get-Single $captured.Output
        $session.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.EdgePlaneSessionInfo'
        $shown = $session | Format-Rendered
        foreach ($label in 'Subject', 'Email', 'ExpiresOn', 'ExpiresIn', 'BaseUrl', 'SessionId', 'Path') { $shown | Should -Match "(?m)^$label\s+:" }
        $captured.Text | Should -Match 'cli-login\?cli_nonce='
        Test-Path $sessionFile | Should -BeTrue
        Assert-NoSecret $captured -Secret (Read-SessionSecret)
    }

    It 'fails with EdgePlaneGrantInvalid (InvalidArgument) for a grant id from the pipeline it never issued, keeping the session' {
        Invoke-OidcCliLogin -NoBrowser | Out-Null
        $before = [System.IO.File]::ReadAllBytes($sessionFile)
        $err = Get-ErrorFromScript { 'grant_forged' | Invoke-OidcCliLogin -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneGrantInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        [System.IO.File]::ReadAllBytes($sessionFile) | Should -Be $before
    }

    It 'fails with EdgePlaneUrlMissing (InvalidArgument) when no EdgePlane is named' {
        $saved = $env:EP_BASE_URL
        Remove-Item Env:EP_BASE_URL
        try {
            $err = Get-ErrorFromScript { Invoke-OidcCliLogin -NoBrowser -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneUrlMissing,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        finally { $env:EP_BASE_URL = $saved }
    }

    It 'masks the session token under <Variable> when it is shown as plain text' -ForEach @(
        @{ Variable = 'TF_BUILD' }, @{ Variable = 'GITHUB_ACTIONS' }
    ) {
        $lines = Invoke-CiStep $Variable '$null = Invoke-OidcCliLogin -NoBrowser -AsPlainText'
        $lines | Should -Contain (Get-MaskLine $Variable (Read-SessionSecret))
    }
}

Describe 'Get-AuthToken -EdgePlane' {
    It 'reads the saved session locally as a SecureString, without asking EdgePlane' {
        Invoke-OidcCliLogin -NoBrowser | Out-Null
        $captured = Invoke-Captured { Get-AuthToken -EdgePlane -Verbose }
        $session = Get-Single $captured.Output
        $session.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.EdgePlaneSessionInfo'
        $session.Token | Should -BeOfType ([securestring])
        $session.Subject | Should -Be 'ada'
        Assert-NoSecret $captured -Secret (Read-SessionSecret)
        Get-AuthToken -EdgePlane -AsPlainText | Should -BeExactly (Read-SessionSecret)
    }

    It 'fails with EdgePlaneSessionNotJson (InvalidData) for a damaged session file and never echoes it' {
        Invoke-OidcCliLogin -NoBrowser | Out-Null
        Set-Content -Path $sessionFile -Value 'secret-content'
        $captured = Invoke-Captured { Get-AuthToken -EdgePlane -ErrorAction Stop }
        $err = Get-Single $captured.Errors
        $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneSessionNotJson,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        Assert-NoSecret $captured -Secret 'secret-content'
    }
}

Describe 'Get-EdgePlaneIdentity' {
    It 'asks EdgePlane who the session belongs to and shows it as a table' {
        Invoke-OidcCliLogin -NoBrowser | Out-Null
        $captured = Invoke-Captured { Get-EdgePlaneIdentity -Verbose }
        $who = Get-Single $captured.Output
        $who.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.EdgePlaneIdentityInfo'
        ($who | Format-Rendered) | Should -Match '(?m)^Subject\s+Email\s+IsAdmin\s+ExpiresOn\s+SessionId\s+BaseUrl\s*$'
        Assert-NoSecret $captured -Secret (Read-SessionSecret)
    }

    It 'fails with EdgePlaneSessionRejected (AuthenticationError) once the session is revoked' {
        $session = Invoke-OidcCliLogin -NoBrowser
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/edgeplane/sessions/$($session.SessionId)/revoke" | Out-Null
        $err = Get-ErrorFromScript { Get-EdgePlaneIdentity -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneSessionRejected,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}

Describe 'Disconnect-EdgePlane' {
    It 'keeps the session under -WhatIf, then deletes it; Get-EdgePlaneIdentity then says there is none' {
        Invoke-OidcCliLogin -NoBrowser | Out-Null
        Disconnect-EdgePlane -WhatIf
        Test-Path $sessionFile | Should -BeTrue
        $secret = Read-SessionSecret
        $captured = Invoke-Captured { Disconnect-EdgePlane -Confirm:$false -Verbose }
        $captured.Output | Should -BeNullOrEmpty
        Assert-NoSecret $captured -Secret $secret
        Test-Path $sessionFile | Should -BeFalse
        $err = Get-ErrorFromScript { Get-EdgePlaneIdentity -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneSessionNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
