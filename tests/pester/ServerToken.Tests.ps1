# New-ServerToken, Get-ServerToken and Revoke-ServerToken as an organization admin uses them,
# against the emulator process.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
}
AfterAll { Complete-NaraTest }

Describe 'New-ServerToken' {
    BeforeEach { $script:jwt = Connect-TestLogin }

    It 'returns the secret once as a SecureString; the list view hides it' {
        $captured = Invoke-Captured { New-ServerToken -Name 'CI Pipeline' -Verbose }
        $token = Get-Single $captured.Output
        $token.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.NewServerTokenResult'
        $token.Token | Should -BeOfType ([securestring])
        $shown = $token | Format-Rendered
        foreach ($label in 'Id', 'Name', 'CreatedAt', 'BaseUrl', 'Token') { $shown | Should -Match "(?m)^$label\s+:" }
        $shown | Should -Match 'hidden; shown only once'
        $captured.Verbose -join "`n" | Should -Match 'Calling http://127\.0\.0\.1:\d+/ with the credential from the token file'
        $plain = [System.Net.NetworkCredential]::new('', $token.Token).Password
        Assert-NoSecret $captured -Secret $plain, $jwt
    }

    It 'binds names from the pipeline, by value and by property name' {
        $made = 'build-a', 'build-b' | New-ServerToken
        $made.Name | Should -Be 'build-a', 'build-b'
        ([pscustomobject]@{ Name = 'build-c' } | New-ServerToken).Name | Should -Be 'build-c'
    }

    It 'gives the plain string with -AsPlainText and masks it first in the job log under <Variable>' -ForEach @(
        @{ Variable = 'TF_BUILD' }, @{ Variable = 'GITHUB_ACTIONS' }
    ) {
        $lines = Invoke-CiStep $Variable "`$t = New-ServerToken -Name 'masked-$Variable' -AsPlainText; 'type=' + `$t.Token.GetType().Name; 'token=' + `$t.Token"
        $lines | Should -Contain 'type=String'
        $secret = [regex]::Match(($lines -join "`n"), 'token=(\S+)').Groups[1].Value
        $secret | Should -Match '^nara_tk_'
        $maskLine = [array]::IndexOf($lines, (Get-MaskLine $Variable $secret))
        $maskLine | Should -BeGreaterOrEqual 0
        $maskLine | Should -BeLessThan ([array]::IndexOf($lines, 'token=' + $secret))
    }

    It 'refuses a pipeline variable name Azure Pipelines cannot hold, with InvalidPipelineVariableName (InvalidArgument)' {
        $err = Use-CiVariable TF_BUILD { Get-ErrorFromScript { New-ServerToken -Name 'bad-variable' -AzurePipelinesVariable 'not a name!' -ErrorAction Stop } }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidPipelineVariableName,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'creates nothing under -WhatIf' {
        New-ServerToken -Name 'not-made' -WhatIf | Should -BeNullOrEmpty
        Get-ServerToken | Where-Object Name -EQ 'not-made' | Should -BeNullOrEmpty
    }

    It 'fails with <Id> (<Category>) for <Case>' -ForEach @(
        @{ Case = 'a member, not an admin'; Id = 'Forbidden'; Category = 'PermissionDenied'; Arrange = { Connect-TestLogin -Role member | Out-Null }; Extra = @{} }
        @{ Case = 'no login at all'; Id = 'NoCredential'; Category = 'AuthenticationError'; Arrange = { Use-Installation | Out-Null }; Extra = @{} }
        @{ Case = 'a pipeline variable outside Azure Pipelines'; Id = 'NotInAzurePipelines'; Category = 'InvalidOperation'; Arrange = { } ; Extra = @{ AzurePipelinesVariable = 'NARA_TOKEN' } }
    ) {
        & $Arrange
        $err = Get-ErrorFromScript { New-ServerToken -Name 'denied' -ErrorAction Stop @Extra }
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -Be $Category
    }
}

Describe 'Get-ServerToken' {
    BeforeAll {
        $script:jwt = Connect-TestLogin
        $script:made = 'list-one', 'list-two' | New-ServerToken
    }

    It 'lists tokens as a table of Id, Name, CreatedAt and LastUsedAt, without any secret' {
        $captured = Invoke-Captured { Get-ServerToken -Verbose }
        $captured.Output[0].PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.ServerTokenInfo'
        $shown = $captured.Output | Format-Rendered
        $shown | Should -Match '(?m)^Id\s+Name\s+CreatedAt\s+LastUsedAt\s*$'
        $shown | Should -Match 'list-one\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d'
        $shown | Should -Match 'never'
        # At 80 columns every column is still there (the name wraps rather than pushing one out).
        ($captured.Output | Out-String -Width 80) | Should -Match '(?m)^Id\s+Name\s+CreatedAt\s+LastUsedAt\s*$'
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'filters by name with wildcards and by id from the pipeline' {
        (Get-ServerToken -Name 'list-t*').Name | Should -Be 'list-two'
        ($made[0] | Get-ServerToken).Name | Should -Be 'list-one'
        (Get-ServerToken -Id $made[1].Id).Name | Should -Be 'list-two'
    }

    It 'fails with ServerTokenNotFound (ObjectNotFound) for an unknown id' {
        $err = Get-ErrorFromScript { Get-ServerToken -Id 'tok_404' -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'ServerTokenNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Revoke-ServerToken' {
    BeforeEach { $script:jwt = Connect-TestLogin }

    It 'revokes what the pipeline gives it and says so in -Verbose' {
        $made = 'old-a', 'old-b' | New-ServerToken
        $captured = Invoke-Captured { Get-ServerToken -Name 'old-*' | Revoke-ServerToken -Confirm:$false -Verbose }
        $captured.Output | Should -BeNullOrEmpty
        ($captured.Verbose -join "`n") | Should -Match "Revoked server token 'old-a' \($($made[0].Id)\)"
        Get-ServerToken -Name 'old-*' | Should -BeNullOrEmpty
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'keeps the token under -WhatIf and says what it would do' {
        $made = New-ServerToken -Name 'kept'
        $captured = Invoke-Captured { Revoke-ServerToken -Id $made.Id -WhatIf }
        $captured.Transcript | Should -Match "What if: Performing the operation `"Revoke`" on target `"server token 'kept'"
        (Get-ServerToken -Id $made.Id).Name | Should -Be 'kept'
    }

    It 'revokes by name, and every match only with -All' {
        'twin', 'twin' | New-ServerToken | Out-Null
        $err = Get-ErrorFromScript { Revoke-ServerToken -Name 'twin' -Confirm:$false -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'AmbiguousServerTokenName,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Revoke-ServerToken -Name 'twin' -All -Confirm:$false
        Get-ServerToken | Where-Object Name -EQ 'twin' | Should -BeNullOrEmpty
    }

    It 'fails with ServerTokenNotFound (ObjectNotFound) for an unknown id' {
        $err = Get-ErrorFromScript { Revoke-ServerToken -Id 'tok_404' -Confirm:$false -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'ServerTokenNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-ServerToken review filters' {
    BeforeEach { $script:jwt = Connect-TestLogin }

    It 'selects tokens not used since a time (never used counts) and created before a time, and pipes them into Revoke-ServerToken' {
        $used = New-ServerToken -Name 'review-used'
        $idle = New-ServerToken -Name 'review-idle'
        Get-NaraAgent -Token $used.Token | Out-Null
        $stale = Get-ServerToken -Name 'review-*' -NotUsedSince (Get-Date).AddMinutes(-5)
        $stale.Id | Should -Be $idle.Id
        Get-ServerToken -Name 'review-*' -CreatedBefore (Get-Date).AddMinutes(-5) | Should -BeNullOrEmpty
        (Get-ServerToken -Name 'review-*' -CreatedBefore (Get-Date).AddMinutes(5)).Count | Should -Be 2
        Get-ServerToken -Name 'review-*' -NotUsedSince (Get-Date).AddMinutes(-5) | Revoke-ServerToken -Confirm:$false
        (Get-ServerToken -Name 'review-*').Id | Should -Be $used.Id
    }
}

Describe 'Reset-ServerToken' {
    BeforeEach { $script:jwt = Connect-TestLogin }
    AfterEach { Invoke-RestMethod -Method Delete -Uri "$script:BaseUrl/_emulator/faults" | Out-Null }

    It 'replaces the token under the same name, returns the secret once as a SecureString, and revokes the old one' {
        $old = New-ServerToken -Name 'rotate-me'
        $oldSecret = [System.Net.NetworkCredential]::new('', $old.Token).Password
        $captured = Invoke-Captured { Get-ServerToken -Name 'rotate-me' | Reset-ServerToken -Confirm:$false -Verbose }
        $captured.Errors | Should -BeNullOrEmpty
        $new = Get-Single $captured.Output
        $new.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.NewServerTokenResult'
        $new.Token | Should -BeOfType ([securestring])
        $new.Name | Should -Be 'rotate-me'
        $new.ReplacedId | Should -Be $old.Id
        ($new | Format-Rendered) | Should -Match "(?m)^ReplacedId\s+: $($old.Id)"
        (Get-ServerToken -Name 'rotate-me').Id | Should -Be $new.Id
        $newSecret = [System.Net.NetworkCredential]::new('', $new.Token).Password
        Get-NaraAgent -Token $new.Token | Should -Not -BeNullOrEmpty
        $err = Get-ErrorFromScript { Get-NaraAgent -Token $old.Token -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'Unauthorized,*'
        Assert-NoSecret $captured -Secret $newSecret, $oldSecret, $jwt
    }

    It 'revokes nothing when the replacement cannot be created, and sends the create once' {
        $old = New-ServerToken -Name 'create-fails'
        $fault = @{ pathPrefix = '/api/tokens'; method = 'POST'; status = 503; retryAfterSeconds = 0; count = 5 } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/faults" -ContentType 'application/json' -Body $fault | Out-Null
        $err = Get-ErrorFromScript { Reset-ServerToken -Id $old.Id -Confirm:$false -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'ServerError,*'
        (Get-ServerToken -Name 'create-fails').Id | Should -Be $old.Id
    }

    It 'still returns the replacement when the old token cannot be revoked, with ServerTokenRotationIncomplete naming the old id' {
        $old = New-ServerToken -Name 'revoke-fails'
        $fault = @{ pathPrefix = '/api/tokens/'; method = 'DELETE'; status = 403; count = 10 } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/faults" -ContentType 'application/json' -Body $fault | Out-Null
        $captured = Invoke-Captured { Reset-ServerToken -Id $old.Id -Force }
        $new = Get-Single $captured.Output
        $new.ReplacedId | Should -Be $old.Id
        $err = Get-Single $captured.Errors
        $err.FullyQualifiedErrorId | Should -BeLike 'ServerTokenRotationIncomplete,*'
        $err.TargetObject | Should -Be $old.Id
        $err.Exception.Message | Should -Match ([regex]::Escape("old token $($old.Id) is still live"))
        (Get-ServerToken -Name 'revoke-fails').Id | Sort-Object | Should -Be (@($old.Id, $new.Id) | Sort-Object)
        Assert-NoSecret $captured -Secret ([System.Net.NetworkCredential]::new('', $new.Token).Password), $jwt
    }

    It 'creates and revokes nothing under -WhatIf' {
        $old = New-ServerToken -Name 'what-if-rotate'
        $captured = Invoke-Captured { Reset-ServerToken -Name 'what-if-rotate' -WhatIf }
        $captured.Output | Should -BeNullOrEmpty
        $captured.Transcript | Should -Match "What if: .*server token 'what-if-rotate' \($($old.Id)\)"
        (Get-ServerToken -Name 'what-if-rotate').Id | Should -Be $old.Id
    }
}
