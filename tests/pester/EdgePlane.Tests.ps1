# Invoke-OidcCliLogin, Get-EdgePlaneIdentity and Disconnect-EdgePlane: the EdgePlane CLI login
# (the emulator completes the identity provider's page by itself here; typing a grant id at a
# prompt is in Console.Tests.ps1) and the session it leaves in ~/.edgeplane.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator -PreApprove
    $script:sessionFile = Join-Path $env:HOME '.edgeplane/session.json'
    function script:Read-SessionSecret { (Get-Content -Raw $sessionFile | ConvertFrom-Json).token }
    # A login finished in a browser elsewhere (the emulator completes it by itself here): the grant
    # id its success page shows, which is how a person hands a login to a session with no console.
    function script:New-EdgePlaneGrant {
        $start = Invoke-RestMethod "$env:EP_BASE_URL/auth/oidc/cli-initiate"
        (Invoke-RestMethod "$env:EP_BASE_URL/auth/oidc/cli-poll/$($start.cli_nonce)").grant_id
    }
    function script:Connect-TestEdgePlane { Invoke-OidcCliLogin -GrantId (New-EdgePlaneGrant) }
}
AfterAll { Complete-NaraTest }

Describe 'Invoke-OidcCliLogin' {
    It 'refuses a browser login at once when no person is at the console, naming the headless ways' {
        # This suite runs with no console input (as CI does); the polling login at a console is in Console.Tests.ps1.
        $err = Get-ErrorFromScript { Invoke-OidcCliLogin -NoBrowser -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'BrowserLoginNotInteractive,*'
        $err.Exception.Message | Should -Match '-GrantId'
        Test-Path $sessionFile | Should -BeFalse
    }

    It 'logs in with the grant id of a login finished elsewhere, saves the session and returns it without the secret' {
        $grant = New-EdgePlaneGrant
        $captured = Invoke-Captured { Invoke-OidcCliLogin -GrantId $grant -Verbose }
        $session = Get-Single $captured.Output
        $session.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.EdgePlaneSessionInfo'
        $shown = $session | Format-Rendered
        foreach ($label in 'Subject', 'Email', 'ExpiresOn', 'ExpiresIn', 'BaseUrl', 'SessionId', 'Path') { $shown | Should -Match "(?m)^$label\s+:" }
        Test-Path $sessionFile | Should -BeTrue
        Assert-NoSecret $captured -Secret (Read-SessionSecret)
    }

    It 'fails with EdgePlaneGrantInvalid (InvalidArgument) for a grant id from the pipeline it never issued, keeping the session' {
        Connect-TestEdgePlane | Out-Null
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
        $lines = Invoke-CiStep $Variable "`$null = Invoke-OidcCliLogin -GrantId $(New-EdgePlaneGrant) -AsPlainText"
        $lines | Should -Contain (Get-MaskLine $Variable (Read-SessionSecret))
    }
}

Describe 'Get-AuthToken -EdgePlane' {
    It 'reads the saved session locally as a SecureString, without asking EdgePlane' {
        Connect-TestEdgePlane | Out-Null
        $captured = Invoke-Captured { Get-AuthToken -EdgePlane -Verbose }
        $session = Get-Single $captured.Output
        $session.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.EdgePlaneSessionInfo'
        $session.Token | Should -BeOfType ([securestring])
        $session.Subject | Should -Be 'ada'
        Assert-NoSecret $captured -Secret (Read-SessionSecret)
        (Get-AuthToken -EdgePlane -AsPlainText).Token | Should -BeExactly (Read-SessionSecret)
    }

    It 'fails with EdgePlaneSessionNotJson (InvalidData) for a damaged session file and never echoes it' {
        Connect-TestEdgePlane | Out-Null
        Set-Content -Path $sessionFile -Value 'secret-content'
        $captured = Invoke-Captured { Get-AuthToken -EdgePlane -ErrorAction Stop }
        $err = Get-Single $captured.Errors
        $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneSessionNotJson,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        Assert-NoSecret $captured -Secret 'secret-content'
    }
    AfterEach {
        # A damaged session file is not replaced by the next login without -Force; the next test starts clean.
        Remove-Item $sessionFile -ErrorAction SilentlyContinue
    }
}

Describe 'Get-EdgePlaneIdentity' {
    It 'asks EdgePlane who the session belongs to and shows it as a block that fits 80 columns, or a table' {
        Connect-TestEdgePlane | Out-Null
        $captured = Invoke-Captured { Get-EdgePlaneIdentity -Verbose }
        $who = Get-Single $captured.Output
        $who.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.EdgePlaneIdentityInfo'
        $narrow = $who | Out-String -Width 80
        foreach ($label in 'Subject', 'Email', 'IsAdmin', 'ExpiresOn', 'SessionId', 'BaseUrl') { $narrow | Should -Match "(?m)^$label\s+:" }
        ($who | Format-Table | Out-String -Width 200) | Should -Match '(?m)^Subject\s+Email\s+IsAdmin\s+ExpiresOn\s+SessionId\s+BaseUrl\s*$'
        Assert-NoSecret $captured -Secret (Read-SessionSecret)
    }

    It 'fails with EdgePlaneSessionRejected (AuthenticationError) once the session is revoked' {
        $session = Connect-TestEdgePlane
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/edgeplane/sessions/$($session.SessionId)/revoke" | Out-Null
        $err = Get-ErrorFromScript { Get-EdgePlaneIdentity -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'EdgePlaneSessionRejected,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}

Describe 'Disconnect-EdgePlane' {
    It 'keeps the session under -WhatIf, then deletes it; Get-EdgePlaneIdentity then says there is none' {
        Connect-TestEdgePlane | Out-Null
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

Describe 'Get-OidcSession' {
    It 'lists the saved EdgePlane login with its subject, expiry and file, never its token' {
        Connect-TestEdgePlane | Out-Null
        $captured = Invoke-Captured { Get-OidcSession -Kind EdgePlane }
        $login = Get-Single $captured.Output
        $login.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.SavedLoginInfo'
        $login.Subject | Should -Be 'ada'
        $login.Path | Should -Be $sessionFile
        $narrow = $login | Out-String -Width 80
        foreach ($label in 'Kind', 'Subject', 'Issuer', 'ExpiresOn', 'CanRefresh', 'Path') { $narrow | Should -Match "(?m)^$label\s+:" }
        ($narrow -split '\r?\n' | Where-Object { $_ -match '^\s*\S\s*$' }) | Should -BeNullOrEmpty
        ($login | Format-Table | Out-String -Width 300) | Should -Match '(?m)^Kind\s+Subject\s+Issuer'
        Assert-NoSecret $captured -Secret (Read-SessionSecret)
    }

    It 'lists nothing, and says nothing, when nobody is logged in' {
        Remove-Item $sessionFile -ErrorAction SilentlyContinue
        $captured = Invoke-Captured { Get-OidcSession }
        $captured.Output | Should -BeNullOrEmpty
        $captured.Errors | Should -BeNullOrEmpty
    }
}

Describe 'Disconnect-OidcSession' {
    It 'ends every login piped from Get-OidcSession, keeping them under -WhatIf' {
        Connect-TestEdgePlane | Out-Null
        Get-OidcSession | Disconnect-OidcSession -WhatIf
        Test-Path $sessionFile | Should -BeTrue
        $secret = Read-SessionSecret
        $captured = Invoke-Captured { Get-OidcSession | Disconnect-OidcSession -Confirm:$false -Verbose }
        Assert-NoSecret $captured -Secret $secret
        Test-Path $sessionFile | Should -BeFalse
        Get-OidcSession | Should -BeNullOrEmpty
    }

    It 'fails with NotASessionFile for a file that is not one of its sessions, and keeps it' {
        $other = Join-Path $TestRoot 'notes.json'
        Set-Content -Path $other -Value '{"note": "keep me"}'
        $err = Get-ErrorFromScript { Disconnect-OidcSession -Path $other -Confirm:$false -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'NotASessionFile,*'
        Get-Content -Raw $other | Should -Match 'keep me'
    }
}
