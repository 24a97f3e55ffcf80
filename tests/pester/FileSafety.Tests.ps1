#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The secret store against what only a real machine has: the encodings Windows PowerShell 5.1
# writes, real ACLs and real devices. The xUnit suite proves the same rules on Unix folders and on
# synthetic ACLs on every machine.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # A temporary profile (HOME, XDG_CONFIG_HOME, APPDATA, LOCALAPPDATA): nothing reaches the real one.
    Initialize-NaraTest
    $script:onWindows = $PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows
}
AfterAll { Complete-NaraTest }

Describe 'Secret files' {
    BeforeEach {
        $script:dir = New-TestDirectory
        # An Edge Connector installation named by EDGE_CONNECTOR_HOME, so the token file is read from this folder.
        Set-Content -Path (Join-Path $dir 'config.json') -Value '{}'
        $env:EDGE_CONNECTOR_HOME = $dir
        Push-Location $dir
    }
    AfterEach {
        Pop-Location
        Remove-Item -Recurse -Force $dir
        Remove-Item Env:NODETOOL_CONFIG_PATH, Env:AUTH_TOKEN_PATH, Env:EDGE_CONNECTOR_HOME -ErrorAction SilentlyContinue
    }

    It 'reads a token file written with Set-Content -Encoding <Encoding>' -TestCases @(
        @{ Encoding = 'UTF8' }, @{ Encoding = 'Unicode' }, @{ Encoding = 'BigEndianUnicode' }
    ) {
        param($Encoding)
        $jwt = New-ForeignJwt -Subject 'user_5'
        Set-Content -Path (Join-Path $dir 'auth-token.json') -Value ('{"token": "' + $jwt + '"}') -Encoding $Encoding
        (Get-AuthToken -WarningAction SilentlyContinue).Subject | Should -Be 'user_5'
    }

    It 'reads a token file written by Out-File with its default encoding' {
        $jwt = New-ForeignJwt -Subject 'user_6'
        ('{"token": "' + $jwt + '"}') | Out-File -FilePath (Join-Path $dir 'auth-token.json')
        (Get-AuthToken -WarningAction SilentlyContinue).Subject | Should -Be 'user_6'
    }

    It 'refuses to write a secret into a folder every account may modify, and writes nothing' {
        $shared = Join-Path $dir 'shared'
        New-Item -ItemType Directory -Path $shared | Out-Null
        Set-Content -Path (Join-Path $shared 'README.md') -Value 'a folder for everyone'
        if ($onWindows) { icacls $shared /grant '*S-1-1-0:(OI)(CI)M' | Out-Null } else { chmod 777 $shared }
        $env:NODETOOL_CONFIG_PATH = Join-Path $shared 'deployment.yaml'
        { Get-AuthToken -Worker -Create -ErrorAction Stop } | Should -Throw -ErrorId 'SecureStoreFolderUnsafe*'
        Test-Path $env:NODETOOL_CONFIG_PATH | Should -BeFalse
    }

    It 'creates each missing folder level owner-only' {
        $env:NODETOOL_CONFIG_PATH = Join-Path $dir 'a/b/deployment.yaml'
        Get-AuthToken -Worker -Create | Out-Null
        foreach ($level in (Join-Path $dir 'a'), (Join-Path $dir 'a/b')) {
            if ($onWindows) {
                $acl = Get-Acl $level
                $acl.AreAccessRulesProtected | Should -BeTrue
                @($acl.Access).Count | Should -Be 1
                $acl.Access[0].IdentityReference.Translate([Security.Principal.SecurityIdentifier]).Value |
                    Should -Be ([Security.Principal.WindowsIdentity]::GetCurrent().User.Value)
            }
            else {
                [int](Get-Item $level).UnixFileMode | Should -Be 448 # 0700
            }
        }
    }

    It 'refuses a device as the token file at once' {
        $env:AUTH_TOKEN_PATH = if ($onWindows) { 'NUL' } else { '/dev/zero' }
        $err = { Get-AuthToken -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Match '^TokenFile(NotAFile|NotFound),'
    }
}
