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
        $captured = Invoke-Captured { Connect-EdgeConnector -Token $jwt -SkipBundleSync -Verbose }
        $expected = Join-Path (Get-UserTokenFolder) 'auth-token.json'
        (Get-Single $captured.Output).TokenPath | Should -Be $expected
        $captured.Text | Should -Match 'No installation was named'
        @(Get-ChildItem -Force $dir) | Should -BeNullOrEmpty
        if (-not $script:OnWindows) {
            [System.IO.File]::GetUnixFileMode($expected) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
            [System.IO.File]::GetUnixFileMode((Get-UserTokenFolder)) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        }
        (Get-AuthToken).Source | Should -Be 'UserFolder'
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'never takes a cloned repository for an installation, nor sends a login or deployment secret where its config.json says' {
        # Someone else's checkout: its config.json names the user's stored login and another server.
        Connect-EdgeConnector -Token (New-EmulatorToken) -SkipBundleSync | Out-Null
        $stored = Join-Path (Get-UserTokenFolder) 'auth-token.json'
        $canary = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $canary.Start()
        try {
            $canaryUrl = 'http://127.0.0.1:{0}' -f $canary.LocalEndpoint.Port
            @{ authTokenPath = $stored; platformUrl = $canaryUrl } | ConvertTo-Json | Set-Content -Path (Join-Path $dir 'config.json')
            $savedUrl = $env:NARA_BASE_URL
            Remove-Item Env:NARA_BASE_URL
            $env:DEPLOYMENT_ID = 'dep_abc123'
            $env:DEPLOYMENT_SECRET = 'sec_xyz789'
            try {
                $captured = Invoke-Captured { Get-NaraAuthStatus -Verify; Get-AuthToken -Verify }
                $refused = Invoke-Captured { Get-AuthToken -Verify -BaseUrl $canaryUrl }
            }
            finally {
                $env:NARA_BASE_URL = $savedUrl
                Remove-Item Env:DEPLOYMENT_ID, Env:DEPLOYMENT_SECRET -ErrorAction SilentlyContinue
            }
            $canary.Pending() | Should -BeFalse -Because 'nothing may connect to the server a checkout names'
            ($captured.Output | Where-Object Kind -eq 'EdgeConnectorToken').FoundBy | Should -Be 'UserFolder'
            $refused.Errors[0].FullyQualifiedErrorId | Should -BeLike 'StoredTokenOtherPlatform,*'
            Assert-NoSecret $captured -Secret 'sec_xyz789'
            Assert-NoSecret $refused -Secret 'sec_xyz789'
        }
        finally {
            $canary.Stop()
        }
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
        $shown | Should -Match '(?m)^Kind\s+: EdgeConnectorToken\s*\r?\nState\s+: Valid\s*\r?\nSubject\s+: user_3'
        $shown | Should -Match '(?m)^Organization\s+: org_1\s*$'
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'fits an 80-column console as a block per credential, and gives the table with Format-Table' {
        $install = Join-Path $TestRoot 'a-rather-long-installation-folder-name/edge-connector/credentials'
        New-Item -ItemType Directory -Force -Path $install | Out-Null
        Connect-EdgeConnector -Token (New-EmulatorToken -Subject 'user_8') -InstallPath $install -SkipBundleSync | Out-Null
        $path = Join-Path $install 'auth-token.json'
        $status = Get-NaraAuthStatus -InstallPath $install -Kind EdgeConnectorToken
        $narrow = $status | Out-String -Width 80
        $narrow | Should -Match '(?m)^Subject\s+: user_8\s*$'
        $narrow | Should -Match '(?m)^Email\s+: ada@example\.com\s*$'
        $narrow | Should -Match '(?m)^ExpiresOn\s+: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\s*$'
        # The whole path, wrapped onto the next lines when longer than the console is wide, never cut.
        ($narrow -replace '\r?\n {2,}', '') | Should -Match ('(?m)^Path\s+: ' + [regex]::Escape($path) + '\s*$')
        # No header broken into one letter per line, as the old table did at 80 columns.
        ($narrow -split '\r?\n' | Where-Object { $_ -match '^\s*\S\s*$' }) | Should -BeNullOrEmpty
        $wide = $status | Format-Table | Out-String -Width 300
        $wide | Should -Match 'Kind\s+State\s+Subject\s+ExpiresOn\s+IsProtected\s+Path'
        $wide | Should -Match ([regex]::Escape($path))
    }

    It 'names a token file other users can read as Unprotected' -Skip:$onWindows {
        Connect-EdgeConnector -Token (New-EmulatorToken) -SkipBundleSync | Out-Null
        chmod 644 (Join-Path $dir 'auth-token.json')
        $status = Get-NaraAuthStatus -Kind EdgeConnectorToken
        $status.State | Should -Be 'Unprotected'
        $status.Problem | Should -Match 'chmod 600'
    }
}
