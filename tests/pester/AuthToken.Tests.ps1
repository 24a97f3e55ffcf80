# Get-AuthToken (Edge Connector, EdgePlane and worker credentials) and Reset-WorkerToken.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
}
AfterAll { Complete-NaraTest }

Describe 'Get-AuthToken' {
    BeforeEach { $script:jwt = Connect-TestLogin; $script:dir = $env:EDGE_CONNECTOR_HOME }

    It 'reads the stored login as a SecureString with its claims, in the list view' {
        $captured = Invoke-Captured { Get-AuthToken -Verbose }
        $info = Get-Single $captured.Output
        $info.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.AuthTokenInfo'
        $info.Token | Should -BeOfType ([securestring])
        $info.Organization | Should -Be 'org_1'
        $shown = $info | Format-Rendered
        foreach ($label in 'Subject', 'Organization', 'Role', 'ExpiresOn', 'ExpiresIn', 'Path', 'Source') { $shown | Should -Match "(?m)^$label\s+:" }
        $info.ExpiresOn | Should -BeOfType ([datetimeoffset])
        $shown | Should -Match '(?m)^ExpiresOn\s+: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\s*$'
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'verifies the signature against the platform with -Verify' {
        $captured = Invoke-Captured { Get-AuthToken -Verify -Verbose }
        (Get-Single $captured.Output).Email | Should -Be 'ada@example.com'
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'reads a token file given from the pipeline by property name' {
        $copy = Join-Path $dir 'copy.json'
        Copy-Item (Join-Path $dir 'auth-token.json') $copy
        ([pscustomobject]@{ Path = $copy } | Get-AuthToken).Path | Should -Be $copy
    }

    It 'gives the token as a string property with -AsPlainText, masked first under <Variable>' -ForEach @(
        @{ Variable = 'TF_BUILD' }, @{ Variable = 'GITHUB_ACTIONS' }
    ) {
        $lines = Invoke-CiStep $Variable '$null = Get-AuthToken -AsPlainText'
        $lines | Should -Contain (Get-MaskLine $Variable $jwt)
        $plain = Get-AuthToken -AsPlainText
        $plain.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.AuthTokenPlainTextInfo'
        $plain.Token | Should -BeExactly $jwt
    }

    It 'fails with <Id> (<Category>) for <Case> and never echoes the content' -ForEach @(
        @{ Case = 'no file'; Id = 'TokenFileNotFound'; Category = 'ObjectNotFound'; Content = $null }
        @{ Case = 'a file that is not JSON'; Id = 'TokenFileNotJson'; Category = 'InvalidData'; Content = 'secret-content' }
        @{ Case = 'an expired token'; Id = 'TokenExpired'; Category = 'AuthenticationError'; Content = 'expired' }
        @{ Case = 'JSON without a token'; Id = 'TokenFileMissingToken'; Category = 'InvalidData'; Content = '{"secret-content": 1}' }
        @{ Case = 'a token that is not a JWT'; Id = 'MalformedJwt'; Category = 'InvalidData'; Content = '{"token": "secret-content"}' }
        @{ Case = 'a JWT signed by another key (-Verify)'; Id = 'InvalidSignature'; Category = 'SecurityError'; Content = 'forged' }
    ) {
        $path = Join-Path $dir 'case.json'
        if ($Content -eq 'expired') { $Content = '{"token": "' + (New-EmulatorToken -TtlSeconds -600) + '"}' }
        if ($Content -eq 'forged') { $Content = '{"token": "' + (New-ForeignJwt) + '"}' }
        if ($Content) { Set-Content -Path $path -Value $Content }
        $captured = Invoke-Captured { Get-AuthToken -Path $path -Verify:($Id -eq 'InvalidSignature') -ErrorAction Continue }
        $err = Get-Single $captured.Errors
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -Be $Category
        Assert-NoSecret $captured -Secret 'secret-content'
    }
}

Describe 'Reset-WorkerToken' {
    BeforeEach {
        $script:config = Join-Path $script:TestRoot ('worker-' + [guid]::NewGuid().ToString('n') + '.yaml')
        $env:NODETOOL_CONFIG_PATH = $config
        Set-Content -Path $config -Value "port: 8000`n"
    }
    AfterEach { Remove-Item Env:NODETOOL_CONFIG_PATH }

    It 'creates the worker token only when asked, then rotates it keeping the other keys' {
        $err = Get-ErrorFromScript { Get-AuthToken -Worker -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'WorkerTokenNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Reset-WorkerToken -Force).PreviousToken | Should -BeNullOrEmpty
        (Get-AuthToken -Worker).Source | Should -Be 'ConfigFile'
        $first = (Get-AuthToken -Worker -AsPlainText).Token
        $captured = Invoke-Captured { Reset-WorkerToken -Confirm:$false -Verbose }
        $rotated = Get-Single $captured.Output
        $rotated.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.WorkerTokenRotationResult'
        $shown = $rotated | Format-Rendered
        foreach ($label in 'ConfigPath', 'RotatedAt', 'PreviousToken') { $shown | Should -Match "(?m)^$label\s+:" }
        $now = (Get-AuthToken -Worker -AsPlainText).Token
        $now | Should -Not -Be $first
        Get-Content $config | Should -Contain 'port: 8000'
        Assert-NoSecret $captured -Secret $first, $now
    }

    It 'creates no worker token under -WhatIf' {
        $before = Get-Content -Raw $config
        Reset-WorkerToken -WhatIf | Should -BeNullOrEmpty
        Get-Content -Raw $config | Should -BeExactly $before
    }

    It 'changes nothing under -WhatIf' {
        Reset-WorkerToken -Force | Out-Null
        $before = Get-Content -Raw $config
        Reset-WorkerToken -WhatIf | Should -BeNullOrEmpty
        Get-Content -Raw $config | Should -BeExactly $before
    }

    It 'shows both tokens as plain text only with -AsPlainText' {
        Reset-WorkerToken -Force | Out-Null
        $first = (Get-AuthToken -Worker -AsPlainText).Token
        $rotated = Reset-WorkerToken -Confirm:$false -AsPlainText
        $rotated.PreviousToken | Should -BeExactly $first
        (Get-AuthToken -Worker -AsPlainText).Token | Should -BeExactly $rotated.Token
    }

    It 'masks the new worker token first under <Variable>' -ForEach @(
        @{ Variable = 'TF_BUILD' }, @{ Variable = 'GITHUB_ACTIONS' }
    ) {
        Reset-WorkerToken -Force | Out-Null
        $lines = Invoke-CiStep $Variable "`$r = Reset-WorkerToken -Confirm:`$false -AsPlainText; 'rotated=' + `$r.Token"
        $secret = [regex]::Match(($lines -join "`n"), 'rotated=(\S+)').Groups[1].Value
        $secret | Should -Be (Get-AuthToken -Worker -AsPlainText).Token
        $lines | Should -Contain (Get-MaskLine $Variable $secret)
    }

    It 'prefers WORKER_AUTH_TOKEN over the file' {
        $env:WORKER_AUTH_TOKEN = 'from-environment'
        try { (Get-AuthToken -Worker).Source | Should -Be 'Environment' }
        finally { Remove-Item Env:WORKER_AUTH_TOKEN }
    }
}
