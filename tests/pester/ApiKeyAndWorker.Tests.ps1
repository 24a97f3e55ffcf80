#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Offline API key and worker token scenarios from the PowerShell side (the xUnit suite runs the
# same in the hosted engine); on Windows they also exercise %APPDATA% and owner-only ACLs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/NaraAuth/NaraAuth.psd1') -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'New-ApiKey and Test-ApiKey' {
    It 'round-trips a new key through its hash' {
        $key = New-ApiKey
        $key.ApiKey | Should -BeOfType ([securestring])
        ($key | Test-ApiKey).IsValid | Should -BeTrue
        ($key | Format-List | Out-String) | Should -Not -Match ([regex]::Escape((New-ApiKey -AsPlainText).ApiKey))
    }

    It 'reports a trailing newline in the key and that the trimmed key matches' {
        $key = New-ApiKey -AsPlainText
        $result = Test-ApiKey -ApiKey ($key.ApiKey + "`n") -Hash $key.Hash
        $result.IsValid | Should -BeFalse
        $result.Status | Should -Be 'KeyWhitespace'
        $result.TrimmedWouldMatch | Should -BeTrue
    }

    It 'answers only a boolean with -Quiet' {
        $key = New-ApiKey -AsPlainText
        Test-ApiKey -ApiKey 'wrong' -Hash $key.Hash -Quiet | Should -BeExactly $false
    }
}

Describe 'Worker token' {
    BeforeEach {
        $script:dir = New-TestDirectory
        $env:NODETOOL_CONFIG_PATH = Join-Path $dir 'deployment.yaml'
        Remove-Item Env:WORKER_AUTH_TOKEN -ErrorAction SilentlyContinue
    }
    AfterEach {
        Remove-Item Env:NODETOOL_CONFIG_PATH
        Remove-Item -Recurse -Force $dir
    }

    It 'generates a token only when asked, keeps other keys, and rotates it' {
        Set-Content -Path $env:NODETOOL_CONFIG_PATH -Value "port: 8000`n"
        { Get-AuthToken -Worker -ErrorAction Stop } | Should -Throw -ErrorId 'WorkerTokenNotFound*'
        $created = Get-AuthToken -Worker -Create
        $created.Source | Should -Be 'Generated'
        Get-Content $env:NODETOOL_CONFIG_PATH | Should -Contain 'port: 8000'
        (Get-AuthToken -Worker).Source | Should -Be 'ConfigFile'
        $first = Get-AuthToken -Worker -AsPlainText
        $rotated = Reset-WorkerToken -Confirm:$false -AsPlainText
        $rotated.PreviousToken | Should -BeExactly $first
        Get-AuthToken -Worker -AsPlainText | Should -BeExactly $rotated.Token
    }

    It 'prefers WORKER_AUTH_TOKEN over the file' {
        $env:WORKER_AUTH_TOKEN = 'from-environment'
        try { (Get-AuthToken -Worker).Source | Should -Be 'Environment' }
        finally { Remove-Item Env:WORKER_AUTH_TOKEN }
    }
}
