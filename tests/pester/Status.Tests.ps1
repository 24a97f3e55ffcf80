# Where a token goes when nothing names a place, and Get-NaraAuthStatus over what is stored, as a
# person at a prompt sees them.

BeforeDiscovery { $script:onWindows = [System.Environment]::OSVersion.Platform -eq 'Win32NT' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
    function Get-UserTokenFolder {
        $root = if ($script:OnWindows) { $env:LOCALAPPDATA } else { $env:XDG_CONFIG_HOME }
        Join-Path (Join-Path $root 'naraauth') 'edge-connector'
    }
}
AfterAll { Complete-NaraTest }

Describe 'The default token location' {
    BeforeEach {
        Remove-Item Env:EDGE_CONNECTOR_HOME, Env:AUTH_TOKEN_PATH -ErrorAction SilentlyContinue
        $script:dir = New-TestDirectory
        Push-Location $dir
    }
    AfterEach {
        Pop-Location
        Disconnect-EdgeConnector -Path (Join-Path (Get-UserTokenFolder) 'auth-token.json') -Confirm:$false
        Remove-Item -Recurse -Force $dir
    }

    It 'puts the token of a plain folder (a checkout) in the per-user folder, owner-only, and says where' {
        $jwt = New-EmulatorToken
        $captured = Invoke-Captured { Connect-EdgeConnector -Token $jwt -SkipBundleSync }
        $expected = Join-Path (Get-UserTokenFolder) 'auth-token.json'
        (Get-Single $captured.Output).TokenPath | Should -Be $expected
        $captured.Text | Should -Match 'not an Edge Connector installation'
        @(Get-ChildItem -Force $dir) | Should -BeNullOrEmpty
        if (-not $script:OnWindows) {
            [System.IO.File]::GetUnixFileMode($expected) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
            [System.IO.File]::GetUnixFileMode((Get-UserTokenFolder)) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        }
        (Get-AuthToken).Source | Should -Be 'UserFolder'
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'keeps the token in the current folder when it is an installation' {
        Set-Content -Path (Join-Path $dir 'config.json') -Value '{}'
        (Connect-EdgeConnector -Token (New-EmulatorToken) -SkipBundleSync).TokenPath | Should -Be (Join-Path $dir 'auth-token.json')
        Test-Path (Join-Path (Get-UserTokenFolder) 'auth-token.json') | Should -BeFalse
        Disconnect-EdgeConnector -Confirm:$false
    }
}

Describe 'Get-NaraAuthStatus' {
    BeforeEach { $script:dir = Use-Installation }

    It 'shows each credential in a table, and -Verify asks the platform' {
        $jwt = New-EmulatorToken -Subject 'user_3'
        Connect-EdgeConnector -Token $jwt | Out-Null
        $captured = Invoke-Captured { Get-NaraAuthStatus -Verify }
        $token = $captured.Output | Where-Object Kind -eq 'EdgeConnectorToken'
        $token.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.CredentialStatusInfo'
        $token.State | Should -Be 'Valid'
        $token.VerifiedOnline | Should -BeTrue
        $token.IsProtected | Should -BeTrue
        $token.Subject | Should -Be 'user_3'
        $token.ExpiresOn | Should -BeOfType [DateTimeOffset]
        ($captured.Output | Where-Object Kind -eq 'EdgePlaneSession').State | Should -Be 'Missing'
        $shown = $captured.Output | Format-Rendered
        $shown | Should -Match 'Kind\s+State\s+Subject\s+Organization\s+ExpiresOn\s+Protected\s+Path'
        $shown | Should -Match 'EdgeConnectorToken\s+Valid\s+user_3\s+org_1'
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'names a token file other users can read as Unprotected' -Skip:$onWindows {
        Connect-EdgeConnector -Token (New-EmulatorToken) -SkipBundleSync | Out-Null
        chmod 644 (Join-Path $dir 'auth-token.json')
        $status = Get-NaraAuthStatus -Kind EdgeConnectorToken
        $status.State | Should -Be 'Unprotected'
        $status.Problem | Should -Match 'chmod 600'
    }
}
