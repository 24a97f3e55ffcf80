# New-ApiKey and Test-ApiKey: an Edge Server admin makes a key for a client and checks it, offline
# against its hash and live against the emulator's Edge Server.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
}
AfterAll { Complete-NaraTest }

Describe 'New-ApiKey' {
    It 'returns the key as a SecureString with its hash and config snippet, never shown' {
        $captured = Invoke-Captured { New-ApiKey -Id 'ci-client' -Verbose }
        $key = Get-Single $captured.Output
        $key.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.NewApiKeyResult'
        $key.ApiKey | Should -BeOfType ([securestring])
        $shown = $key | Format-Rendered
        foreach ($label in 'Id', 'Algorithm', 'Parameters', 'Hash', 'ApiKey', 'ConfigSnippet') { $shown | Should -Match "(?m)^$label\s+:" }
        $shown | Should -Match 'ApiKey\s+: \(hidden'
        Assert-NoSecret $captured -Secret ([System.Net.NetworkCredential]::new('', $key.ApiKey).Password)
    }

    It 'makes one key per id from the pipeline, by value and by property name' {
        ('a', 'b' | New-ApiKey).Id | Should -Be 'a', 'b'
        ([pscustomobject]@{ Id = 'c' } | New-ApiKey).Id | Should -Be 'c'
    }

    It 'masks the plain key first under <Variable>' -ForEach @(
        @{ Variable = 'TF_BUILD' }, @{ Variable = 'GITHUB_ACTIONS' }
    ) {
        $lines = Invoke-CiStep $Variable "'key=' + (New-ApiKey -AsPlainText).ApiKey"
        $secret = [regex]::Match(($lines -join "`n"), 'key=(\S+)').Groups[1].Value
        $secret | Should -Not -BeNullOrEmpty
        $lines | Should -Contain (Get-MaskLine $Variable $secret)
    }
}

Describe 'Test-ApiKey' {
    It 'round-trips a new key through its hash from the pipeline' {
        $key = New-ApiKey
        $captured = Invoke-Captured { $key | Test-ApiKey -Verbose }
        $result = Get-Single $captured.Output
        $result.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.ApiKeyTestResult'
        $result.IsValid | Should -BeTrue
        $shown = $result | Format-Rendered
        foreach ($label in 'IsValid', 'Status', 'Reason', 'Algorithm', 'Parameters') { $shown | Should -Match "(?m)^$label\s+:" }
        Assert-NoSecret $captured -Secret ([System.Net.NetworkCredential]::new('', $key.ApiKey).Password)
    }

    It 'says a trailing newline is the problem and that the trimmed key matches' {
        $key = New-ApiKey -AsPlainText
        $result = Test-ApiKey -ApiKey ($key.ApiKey + "`n") -Hash $key.Hash
        $result.Status | Should -Be 'KeyWhitespace'
        $result.TrimmedWouldMatch | Should -BeTrue
        Test-ApiKey -ApiKey 'wrong' -Hash $key.Hash -Quiet | Should -BeExactly $false
    }

    It 'checks a key live against the Edge Server and says why a wrong one fails' {
        $key = New-ApiKey -Id 'live' -AsPlainText
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/edge-server/identities" -ContentType 'application/json' -Body (@{ name = 'live'; hash = $key.Hash } | ConvertTo-Json) | Out-Null
        $uri = "$BaseUrl/edge-server/api/whoami"
        $captured = Invoke-Captured { Test-ApiKey -ApiKey $key.ApiKey -Uri $uri -Verbose }
        $live = Get-Single $captured.Output
        $live.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.ApiKeyLiveCheckResult'
        $shown = $live | Format-Rendered
        foreach ($label in 'Result', 'StatusCode', 'Uri', 'Message') { $shown | Should -Match "(?m)^$label\s+:" }
        Test-ApiKey -ApiKey $key.ApiKey -Uri $uri -Quiet | Should -BeExactly $true
        Test-ApiKey -ApiKey 'not-the-key' -Uri $uri -Quiet | Should -BeExactly $false
        Assert-NoSecret $captured -Secret $key.ApiKey
    }

    It 'fails with InsecureBaseUrl (SecurityError) for http:// to a host that is not loopback' {
        $err = Get-ErrorFromScript { Test-ApiKey -ApiKey 'k' -Uri 'http://edge.example.com/api/whoami' -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'InsecureBaseUrl,*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
    }
}
