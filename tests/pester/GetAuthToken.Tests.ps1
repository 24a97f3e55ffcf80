#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The engine-hosted xUnit suite covers the same ground on every machine; these run where pwsh
# or Windows PowerShell 5.1 exist, notably on Windows where ACLs are real.

BeforeAll {
    $script:manifest = Join-Path $PSScriptRoot '../../out/NaraAuth/NaraAuth.psd1'
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Get-AuthToken' {
    BeforeEach {
        $script:dir = New-TestDirectory
        Push-Location $dir
    }
    AfterEach {
        Pop-Location
        Remove-Item -Recurse -Force $dir
    }

    It 'reads a token file written by another program' {
        $jwt = New-TestJwt -Subject 'user_9' -Organization 'org_1'
        Set-Content -Path (Join-Path $dir 'auth-token.json') -Value ('{"token": "' + $jwt + '"}')
        $info = Get-AuthToken -WarningAction SilentlyContinue
        $info.Subject | Should -Be 'user_9'
        $info.Organization | Should -Be 'org_1'
        $info.Token | Should -BeOfType ([securestring])
        ($info | Format-List | Out-String) | Should -Not -Match ([regex]::Escape($jwt))
    }

    It 'fails with TokenFileNotFound when there is no file' {
        { Get-AuthToken -ErrorAction Stop } | Should -Throw -ErrorId 'TokenFileNotFound*'
    }

    It 'fails with TokenFileNotJson and does not echo the content' {
        Set-Content -Path (Join-Path $dir 'auth-token.json') -Value 'secret-content'
        $err = { Get-AuthToken -ErrorAction Stop } | Should -Throw -ErrorId 'TokenFileNotJson*' -PassThru
        $err.ToString() | Should -Not -Match 'secret-content'
    }

    It 'returns only the string with -AsPlainText' {
        $jwt = New-TestJwt
        Set-Content -Path (Join-Path $dir 'auth-token.json') -Value ('{"token": "' + $jwt + '"}')
        Get-AuthToken -AsPlainText -WarningAction SilentlyContinue | Should -BeExactly $jwt
    }
}

Describe 'Module' {
    It 'passes Test-ModuleManifest' {
        Test-ModuleManifest $manifest | Should -Not -BeNullOrEmpty
    }
    It 'has help for every cmdlet' {
        foreach ($command in Get-Command -Module NaraAuth) {
            (Get-Help $command.Name).Synopsis | Should -Not -BeNullOrEmpty
            @((Get-Help $command.Name -Full).examples.example).Count | Should -BeGreaterOrEqual 2
        }
    }
}
