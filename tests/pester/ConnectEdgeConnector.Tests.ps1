#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Connect-EdgeConnector from the PowerShell side, against a real emulator process. The
# engine-hosted xUnit suite (ConnectEdgeConnector*Tests) covers the same scenarios on every
# machine; these add a real pwsh / Windows PowerShell 5.1 host, notably for Windows ACLs.

BeforeDiscovery {
    $script:onWindows = [System.Environment]::OSVersion.Platform -eq 'Win32NT'
}

BeforeAll {
    $script:repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:manifest = Join-Path $repo 'out/NaraAuth/NaraAuth.psd1'
    Import-Module $manifest -Force

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $script:port = $listener.LocalEndpoint.Port; $listener.Stop()
    $script:baseUrl = "http://127.0.0.1:$port"
    $script:emulator = Start-Process -FilePath dotnet -PassThru -NoNewWindow `
        -ArgumentList @('run', '--no-build', '--project', (Join-Path $repo 'src/NaraAuth.Emulator'), '--', '--port', $port, '--pre-approve')
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline) {
        try { Invoke-RestMethod "$baseUrl/_emulator/health" | Out-Null; break } catch { Start-Sleep -Milliseconds 200 }
    }
    function script:New-EmulatorToken([string] $Org = 'org_1', [int] $TtlSeconds = 28800) {
        (Invoke-RestMethod -Method Post -Uri "$baseUrl/_emulator/tokens" -ContentType 'application/json' `
            -Body (@{ org = $Org; ttlSeconds = $TtlSeconds } | ConvertTo-Json)).token
    }
}

AfterAll {
    if ($script:emulator -and -not $script:emulator.HasExited) { Stop-Process -Id $script:emulator.Id }
}

Describe 'Connect-EdgeConnector' {
    BeforeEach {
        $script:dir = Join-Path ([System.IO.Path]::GetTempPath()) ('naraauth-pester-' + [guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        Push-Location $dir
        Remove-Item Env:DEPLOYMENT_ID, Env:DEPLOYMENT_SECRET, Env:DEPLOYMENT_CREDENTIALS_PATH -ErrorAction SilentlyContinue
    }
    AfterEach {
        Pop-Location
        Remove-Item -Recurse -Force $dir
    }

    It 'saves a raw JWT and the default bundle, and is idempotent' {
        $jwt = New-EmulatorToken
        $c = Connect-EdgeConnector -Token $jwt -BaseUrl $baseUrl
        $c.Status | Should -Be 'Connected'
        $c.Organization | Should -Be 'org_1'
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeTrue
        Test-Path (Join-Path $dir 'default-bundle.json') | Should -BeTrue
        ($c | Format-List | Out-String) | Should -Not -Match ([regex]::Escape($jwt))
        (Connect-EdgeConnector -Token $jwt -BaseUrl $baseUrl).Status | Should -Be 'AlreadyConnected'
    }

    It 'shows the code on the host even when the result is assigned (pre-approved browser login)' {
        $c = Connect-EdgeConnector -NoBrowser -BaseUrl $baseUrl -InformationVariable shown
        $c.Mode | Should -Be 'Browser'
        ($shown -join "`n") | Should -Match 'desktop/approve\?code='
    }

    It 'fails with <Id> for <Case>' -ForEach @(
        @{ Case = 'an expired JWT'; Id = 'TokenExpired'; Token = { New-EmulatorToken -TtlSeconds -600 } }
        @{ Case = 'an organization without the Edge Connector'; Id = 'OrganizationNotEnabled'; Token = { New-EmulatorToken -Org 'org_2' } }
    ) {
        { Connect-EdgeConnector -Token (& $Token) -BaseUrl $baseUrl -ErrorAction Stop } | Should -Throw -ErrorId "$Id*"
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeFalse
    }

    It 'refuses http:// to a host that is not loopback' {
        { Connect-EdgeConnector -Token (New-EmulatorToken) -BaseUrl 'http://nara.example.com' -ErrorAction Stop } | Should -Throw -ErrorId 'InsecureBaseUrl*'
    }

    It 'verifies deployment credentials and writes no token file' {
        $secret = ConvertTo-SecureString 'sec_xyz789' -AsPlainText -Force
        $c = Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -BaseUrl $baseUrl
        $c.Status | Should -Be 'Verified'
        Get-ChildItem $dir | Should -BeNullOrEmpty
    }

    It 'rejects a wrong deployment secret with DeploymentCredentialsRejected' {
        $secret = ConvertTo-SecureString 'wrong-secret' -AsPlainText -Force
        $err = { Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -BaseUrl $baseUrl -ErrorAction Stop } |
            Should -Throw -ErrorId 'DeploymentCredentialsRejected*' -PassThru
        $err.ToString() | Should -Not -Match 'wrong-secret'
    }

    It 'fails at once in CI with a message naming the headless modes' {
        $env:TF_BUILD = 'True'
        try {
            $err = { Connect-EdgeConnector -BaseUrl $baseUrl -ErrorAction Stop } | Should -Throw -ErrorId 'BrowserLoginNotInteractive*' -PassThru
            $err.ToString() | Should -Match '-Token'
        }
        finally { Remove-Item Env:TF_BUILD }
    }

    # What only Windows can prove: the ACL the store builds is really applied, and nothing inherits.
    It 'gives the token file an owner-only, non-inherited ACL on Windows' -Skip:(-not $onWindows) {
        Connect-EdgeConnector -Token (New-EmulatorToken) -BaseUrl $baseUrl | Out-Null
        $me = [System.Security.Principal.WindowsIdentity]::GetCurrent().User.Value
        foreach ($file in 'auth-token.json', 'default-bundle.json') {
            $acl = Get-Acl (Join-Path $dir $file)
            $acl.AreAccessRulesProtected | Should -BeTrue
            $rules = @($acl.Access)
            $rules.Count | Should -Be 1
            $rules[0].IsInherited | Should -BeFalse
            $rules[0].IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value | Should -Be $me
            $acl.GetOwner([System.Security.Principal.SecurityIdentifier]).Value | Should -Be $me
        }
    }

    It 'writes the token file 0600 in a 0700 folder on Unix' -Skip:$onWindows {
        $install = Join-Path $dir 'install'
        Connect-EdgeConnector -Token (New-EmulatorToken) -BaseUrl $baseUrl -InstallPath $install | Out-Null
        [System.IO.File]::GetUnixFileMode((Join-Path $install 'auth-token.json')) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        [System.IO.File]::GetUnixFileMode($install) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    }
}
