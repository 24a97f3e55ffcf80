# Every path parameter reads its argument as PowerShell's own cmdlets do: '~' is the home folder,
# a PowerShell drive (New-PSDrive; C: on Windows) is understood, a relative path is taken from the
# current location, and a path of another provider (Env:, Function:) is refused with a clear error.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
    # '~' follows the FileSystem provider's Home, which pwsh set from the real HOME at start-up:
    # point it at the test profile so no test ever reaches the developer's own files.
    $script:FileSystem = Get-PSProvider FileSystem
    $script:SavedHome = $script:FileSystem.Home
    $script:UserHome = $env:HOME
    $script:FileSystem.Home = $script:UserHome
    $script:DriveRoot = Join-Path $TestRoot 'drive-root'
    New-Item -ItemType Directory -Path $script:DriveRoot | Out-Null
    New-PSDrive -Name NaraPaths -PSProvider FileSystem -Root $script:DriveRoot -Scope Global | Out-Null
    # The current location is a folder of its own, so a literal '~' folder would show up in it.
    $script:Here = Join-Path $TestRoot 'current'
    New-Item -ItemType Directory -Path $script:Here | Out-Null
    Push-Location $script:Here
    function script:Write-HandoverFile([string] $Path, [string] $Jwt) {
        Set-Content -Path $Path -Value ('{"token": "' + $Jwt + '"}')
        if (-not $script:OnWindows) { chmod 600 $Path }
    }
}
AfterAll {
    Pop-Location
    Remove-PSDrive -Name NaraPaths -Scope Global -ErrorAction SilentlyContinue
    if ($script:FileSystem) { $script:FileSystem.Home = $script:SavedHome }
    Complete-NaraTest
}

Describe 'Path parameters read ~, drives and the current location as PowerShell does' {
    BeforeEach {
        Use-Installation | Out-Null
        Remove-Item -Recurse -Force -Path (Join-Path $script:UserHome 'nara-*'), (Join-Path $script:DriveRoot '*') -ErrorAction SilentlyContinue
    }
    AfterEach {
        # Whatever a test did, nothing was written under a folder literally named '~'.
        Test-Path -LiteralPath (Join-Path $script:Here '~') | Should -BeFalse
    }

    It 'Connect-EdgeConnector -Token, -Path and Get-AuthToken -Path take <Form> paths' -ForEach @(
        @{ Form = '~'; Prefix = '~/'; Root = 'home' }
        @{ Form = 'drive'; Prefix = 'NaraPaths:/'; Root = 'drive' }
    ) {
        $root = if ($Root -eq 'home') { $script:UserHome } else { $script:DriveRoot }
        $jwt = New-EmulatorToken
        Write-HandoverFile (Join-Path $root 'nara-handover.json') $jwt
        $result = Connect-EdgeConnector -Token "${Prefix}nara-handover.json" -Path "${Prefix}nara-saved/auth-token.json" -SkipBundleSync
        $saved = Join-Path $root 'nara-saved/auth-token.json'
        $result.TokenPath | Should -Be $saved
        Test-Path $saved | Should -BeTrue
        (Get-AuthToken -Path "${Prefix}nara-saved/auth-token.json").Path | Should -Be $saved
        (Get-NaraAuthStatus -Path "${Prefix}nara-saved/auth-token.json" -Kind EdgeConnectorToken).Path | Should -Be $saved
        $gone = Disconnect-EdgeConnector -Path "${Prefix}nara-saved/auth-token.json" -Confirm:$false -PassThru
        $gone.Status | Should -Be 'Disconnected'
        Test-Path $saved | Should -BeFalse
    }

    It '-InstallPath takes <Form> paths in Connect-EdgeConnector, Get-AuthToken, Get-NaraAuthStatus and Disconnect-EdgeConnector' -ForEach @(
        @{ Form = '~'; Prefix = '~/'; Root = 'home' }
        @{ Form = 'drive'; Prefix = 'NaraPaths:/'; Root = 'drive' }
    ) {
        $root = if ($Root -eq 'home') { $script:UserHome } else { $script:DriveRoot }
        $install = Join-Path $root 'nara-install'
        New-Item -ItemType Directory -Path $install | Out-Null
        Connect-EdgeConnector -Token (New-EmulatorToken) -InstallPath "${Prefix}nara-install" -SkipBundleSync | Out-Null
        Test-Path (Join-Path $install 'auth-token.json') | Should -BeTrue
        (Get-AuthToken -InstallPath "${Prefix}nara-install").Path | Should -Be (Join-Path $install 'auth-token.json')
        (Get-NaraAuthStatus -InstallPath "${Prefix}nara-install" -Kind EdgeConnectorToken).Path | Should -Be (Join-Path $install 'auth-token.json')
        # The platform cmdlets find the stored login through the same -InstallPath.
        @(Get-NaraAgent -InstallPath "${Prefix}nara-install" -ErrorAction Stop).Count | Should -BeGreaterThan 0
        Disconnect-EdgeConnector -InstallPath "${Prefix}nara-install" -Confirm:$false
        Test-Path (Join-Path $install 'auth-token.json') | Should -BeFalse
    }

    It 'Connect-EdgeConnector -SaveCredentialsTo, Get-NaraAuthStatus -CredentialsPath and Disconnect-EdgeConnector -DeploymentCredentialsPath take <Form> paths' -ForEach @(
        @{ Form = '~'; Prefix = '~/'; Root = 'home' }
        @{ Form = 'drive'; Prefix = 'NaraPaths:/'; Root = 'drive' }
    ) {
        $root = if ($Root -eq 'home') { $script:UserHome } else { $script:DriveRoot }
        $secret = ConvertTo-SecureString 'sec_xyz789' -AsPlainText -Force
        $result = Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -SaveCredentialsTo "${Prefix}nara-dep.json" -Confirm:$false
        $file = Join-Path $root 'nara-dep.json'
        $result.CredentialsPath | Should -Be $file
        Test-Path $file | Should -BeTrue
        (Get-NaraAuthStatus -CredentialsPath "${Prefix}nara-dep.json" -Kind DeploymentCredentials).Path | Should -Be $file
        Disconnect-EdgeConnector -DeploymentCredentialsPath "${Prefix}nara-dep.json" -Confirm:$false
        Test-Path $file | Should -BeFalse
    }

    It 'Disconnect-OidcSession -Path takes <Form> paths' -ForEach @(
        @{ Form = '~'; Prefix = '~/'; Root = 'home' }
        @{ Form = 'drive'; Prefix = 'NaraPaths:/'; Root = 'drive' }
    ) {
        $root = if ($Root -eq 'home') { $script:UserHome } else { $script:DriveRoot }
        $notes = Join-Path $root 'nara-notes.json'
        Set-Content -Path $notes -Value '{"note": "keep me"}'
        $err = Get-ErrorFromScript { Disconnect-OidcSession -Path "${Prefix}nara-notes.json" -Confirm:$false -ErrorAction Stop }
        # Refused as a file that is not a session, at the resolved place: the path was read right.
        $err.FullyQualifiedErrorId | Should -BeLike 'NotASessionFile,*'
        "$($err.TargetObject)" | Should -Be $notes
        Test-Path $notes | Should -BeTrue
    }

    It 'a relative path is taken from the current location, not the process folder' {
        $jwt = New-EmulatorToken
        Write-HandoverFile (Join-Path $script:Here 'handover.json') $jwt
        $result = Connect-EdgeConnector -Token handover.json -Path ./relative/auth-token.json -SkipBundleSync
        $result.TokenPath | Should -Be (Join-Path $script:Here 'relative/auth-token.json')
        Remove-Item -Recurse -Force (Join-Path $script:Here 'relative'), (Join-Path $script:Here 'handover.json')
    }
}

Describe 'A path of another provider is refused' {
    BeforeAll { Use-Installation | Out-Null }

    It '<Command> -<Parameter> <Value> fails with PathNotOnFileSystem (InvalidArgument) naming the provider' -ForEach @(
        @{ Command = 'Get-AuthToken'; Parameter = 'Path'; Value = 'Env:HOME' }
        @{ Command = 'Get-AuthToken'; Parameter = 'InstallPath'; Value = 'Function:prompt' }
        @{ Command = 'Get-NaraAuthStatus'; Parameter = 'Path'; Value = 'Env:HOME' }
        @{ Command = 'Get-NaraAuthStatus'; Parameter = 'InstallPath'; Value = 'Env:HOME' }
        @{ Command = 'Get-NaraAuthStatus'; Parameter = 'CredentialsPath'; Value = 'Function:prompt' }
        @{ Command = 'Connect-EdgeConnector'; Parameter = 'Path'; Value = 'Env:HOME' }
        @{ Command = 'Connect-EdgeConnector'; Parameter = 'InstallPath'; Value = 'Function:prompt' }
        @{ Command = 'Connect-EdgeConnector'; Parameter = 'Token'; Value = 'Env:HOME' }
        @{ Command = 'Disconnect-EdgeConnector'; Parameter = 'Path'; Value = 'Env:HOME' }
        @{ Command = 'Disconnect-EdgeConnector'; Parameter = 'InstallPath'; Value = 'Function:prompt' }
        @{ Command = 'Disconnect-EdgeConnector'; Parameter = 'DeploymentCredentialsPath'; Value = 'Env:HOME' }
        @{ Command = 'Disconnect-OidcSession'; Parameter = 'Path'; Value = 'Function:prompt' }
        @{ Command = 'Get-ServerToken'; Parameter = 'InstallPath'; Value = 'Env:HOME' }
        @{ Command = 'Get-NaraAgent'; Parameter = 'InstallPath'; Value = 'Function:prompt' }
    ) {
        $arguments = @{ $Parameter = $Value; ErrorAction = 'Stop' }
        if ($Command -like 'Disconnect-*') { $arguments.Confirm = $false }
        if ($Command -eq 'Connect-EdgeConnector' -and $Parameter -ne 'Token') { $arguments.Token = (New-EmulatorToken); $arguments.SkipBundleSync = $true }
        $err = Get-ErrorFromScript { & $Command @arguments }
        $err.FullyQualifiedErrorId | Should -BeLike 'PathNotOnFileSystem,*'
        "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match "-$Parameter '$([regex]::Escape($Value))' is a path of the (Environment|Function) provider"
    }

    It 'Connect-EdgeConnector -Deployment -SaveCredentialsTo Env:x is refused before anything is written' {
        $secret = ConvertTo-SecureString 'sec_xyz789' -AsPlainText -Force
        $err = Get-ErrorFromScript { Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -SaveCredentialsTo Env:NARA_DEP -Confirm:$false -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'PathNotOnFileSystem,*'
        Test-Path Env:NARA_DEP | Should -BeFalse
    }
}
