# Invoke-NaraRestMethod, Get-NaraAgent and Start-NaraAgentRun: calls to the platform API with the
# stored login or a server token, as scripts and pipelines make them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
    $script:jwt = Connect-TestLogin
    $script:serverToken = New-ServerToken -Name 'Pester pipeline'
    $script:serverSecret = [System.Net.NetworkCredential]::new('', $serverToken.Token).Password
}
AfterAll { Complete-NaraTest }

Describe 'Invoke-NaraRestMethod' {
    It 'returns the parsed JSON of a GET with the stored login' {
        $captured = Invoke-Captured { Invoke-NaraRestMethod -Path '/api/me/organizations' -Verbose }
        $orgs = @($captured.Output)
        $orgs.id | Should -Contain 'org_1'
        ($captured.Verbose -join "`n") | Should -Match 'with the credential from the token file'
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'binds the path from the pipeline by property name and takes a server token' {
        # The agent list is what a server token may read (a person's endpoints are not).
        $agents = [pscustomobject]@{ Path = '/api/agent/run' } | Invoke-NaraRestMethod -Token $serverToken.Token
        ($agents | ConvertTo-Json -Depth 5) | Should -Match 'summarizeTicket'
    }

    It 'sends nothing that changes state under -WhatIf' {
        $captured = Invoke-Captured { Invoke-NaraRestMethod -Method Post -Path '/api/tokens' -Body @{ name = 'never' } -WhatIf }
        $captured.Output | Should -BeNullOrEmpty
        $captured.Transcript | Should -Match 'What if:'
        Get-ServerToken | Where-Object Name -EQ 'never' | Should -BeNullOrEmpty
    }

    It 'fails with <Id> (<Category>) for <Case>' -ForEach @(
        @{ Case = 'a path the platform does not have'; Id = 'NotFound'; Category = 'ObjectNotFound'; Path = '/api/no-such-thing'; Token = $null }
        @{ Case = 'an absolute URL instead of a path'; Id = 'InvalidApiPath'; Category = 'InvalidArgument'; Path = 'https://elsewhere.example.com/api/tokens'; Token = $null }
        @{ Case = 'a server token the platform does not know'; Id = 'Unauthorized'; Category = 'AuthenticationError'; Path = '/api/agent/run'; Token = 'nara_tk_revoked0123456789' }
    ) {
        $extra = @{}
        if ($Token) { $extra.Token = ConvertTo-SecureString $Token -AsPlainText -Force }
        $captured = Invoke-Captured { Invoke-NaraRestMethod -Path $Path -ErrorAction Stop @extra }
        $err = Get-Single $captured.Errors
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -Be $Category
        Assert-NoSecret $captured -Secret $jwt, 'nara_tk_revoked0123456789'
    }
}

Describe 'Get-NaraAgent' {
    It 'lists the agents as a Name and Description table' {
        $captured = Invoke-Captured { Get-NaraAgent -Token $serverToken.Token -Verbose }
        $captured.Output[0].PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.NaraAgentInfo'
        $shown = $captured.Output | Format-Rendered
        $shown | Should -Match '(?m)^Name\s+Description\s*$'
        $shown | Should -Match 'summarizeTicket'
        Assert-NoSecret $captured -Secret $serverSecret, $jwt
    }

    It 'filters by name with wildcards' {
        (Get-NaraAgent -Token $serverToken.Token -Name 'summ*').Name | Should -Be 'summarizeTicket'
    }

    It 'fails with NoCredential (AuthenticationError) without any login' {
        $saved = $env:EDGE_CONNECTOR_HOME
        Use-Installation | Out-Null
        try {
            $err = Get-ErrorFromScript { Get-NaraAgent -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -BeLike 'NoCredential,*'
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        }
        finally { $env:EDGE_CONNECTOR_HOME = $saved }
    }
}

Describe 'Start-NaraAgentRun' {
    It 'runs the agent the pipeline names, with the server token, and returns its result' {
        $captured = Invoke-Captured {
            Get-NaraAgent -Token $serverToken.Token -Name summarizeTicket |
                Start-NaraAgentRun -Token $serverToken.Token -Arguments @{ ticketNumber = '1234' } -Verbose
        }
        $run = Get-Single $captured.Output
        $run.status | Should -Be 'completed'
        $run.agentName | Should -Be 'summarizeTicket'
        ($run | Format-Rendered) | Should -Match 'completed'
        Assert-NoSecret $captured -Secret $serverSecret, $jwt
    }

    It 'starts no run under -WhatIf' {
        $captured = Invoke-Captured { Start-NaraAgentRun -Name classifyEmail -Token $serverToken.Token -WhatIf }
        $captured.Output | Should -BeNullOrEmpty
        $captured.Transcript | Should -Match 'What if:.*classifyEmail'
    }

    It 'fails with NotFound (ObjectNotFound) for an agent that does not exist' {
        $err = Get-ErrorFromScript { Start-NaraAgentRun -Name noSuchAgent -Token $serverToken.Token -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'NotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
