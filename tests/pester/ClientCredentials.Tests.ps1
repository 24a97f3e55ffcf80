# Invoke-OidcCliLogin with a client credential (no person): a client secret, and workload
# identity in Azure Pipelines and GitHub Actions, each in a fresh pwsh with stdin closed as a
# pipeline step runs, against OpenIddict (tests/NaraAuth.OidcTestProvider, started here from its
# built binary on a free loopback port, with its stand-ins for the CI systems' token endpoints);
# then that access token with -Token to the emulator's EdgePlane trusting OpenIddict as its issuer.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator

    $binary = Get-ChildItem -Path (Join-Path $script:RepoRoot 'tests/NaraAuth.OidcTestProvider/bin') -Filter 'NaraAuth.OidcTestProvider.dll' -Recurse |
        Where-Object { $_.Directory.Name -like 'net*' } | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $binary) { throw 'The OIDC test provider is not built: run "dotnet build NaraAuth.sln" first.' }
    $script:ProviderFolder = New-TestDirectory
    $log = Join-Path $script:ProviderFolder 'provider'
    $script:Provider = Start-Process -FilePath dotnet -ArgumentList @(('"{0}"' -f $binary.FullName), ('"{0}"' -f $script:ProviderFolder)) -PassThru -NoNewWindow `
        -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
    $deadline = [DateTime]::UtcNow.AddSeconds(90)
    $script:Info = $null
    while (-not $script:Info) {
        $first = Get-Content -Path "$log.out" -TotalCount 1 -ErrorAction SilentlyContinue
        if ($first) { $script:Info = $first | ConvertFrom-Json; break }
        if ($script:Provider.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw ('The OIDC test provider did not start: ' + (Get-Content -Raw "$log.err" -ErrorAction SilentlyContinue)) }
        Start-Sleep -Milliseconds 200
    }

    # What the step prints about the token it got, without printing the token.
    $script:Describe = @'
$token = [System.Net.NetworkCredential]::new('', $login.AccessToken).Password
$payload = $token.Split('.')[1].Replace('-', '+').Replace('_', '/')
$payload += '=' * ((4 - $payload.Length % 4) % 4)
$claims = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json
'RESULT ' + (@{ source = "$($login.Source)"; credential = $login.ClientCredential; iss = $claims.iss; sub = $claims.sub; scope = $claims.scope; idToken = ($null -eq $login.IdToken) } | ConvertTo-Json -Compress)
'LISTED ' + ((Get-OidcSession | Where-Object ClientId -eq $login.ClientId | ForEach-Object ClientCredential) -join ';')
'@

    function Get-StepResult([string[]] $Lines) {
        $line = $Lines | Where-Object { $_ -like 'RESULT *' } | Select-Object -First 1
        $line | Should -Not -BeNullOrEmpty -Because ($Lines -join "`n")
        $line.Substring(7) | ConvertFrom-Json
    }

    function Get-Listed([string[]] $Lines) {
        # What Get-OidcSession listed for the client in the step (one entry per saved session).
        @((@($Lines | Where-Object { $_ -like 'LISTED *' })[0]).Substring(7) -split ';')
    }
}

AfterAll {
    if ($script:Provider -and -not $script:Provider.HasExited) {
        if ($script:OnWindows) { Stop-Process -Id $script:Provider.Id -Force -ErrorAction SilentlyContinue }
        else { & kill -TERM $script:Provider.Id 2>$null }
        if (-not $script:Provider.WaitForExit(10000)) { $script:Provider.Kill(); $script:Provider.WaitForExit(5000) | Out-Null }
    }
    # The provider's folder holds its client certificate's private key: nothing of it stays behind.
    if ($script:ProviderFolder) { Remove-Item -Recurse -Force -Path $script:ProviderFolder -ErrorAction SilentlyContinue }
    Complete-NaraTest
}

Describe 'Invoke-OidcCliLogin with a client credential' {
    It 'gets an access token with a client secret in an Azure Pipelines step, and masks it before -AsPlainText returns it' {
        $step = Invoke-ChildPwsh -Environment @{ TF_BUILD = 'True'; NARA_TEST_SECRET = $script:Info.clientSecret } -Script (@"
Import-Module '$script:Manifest'
`$secret = ConvertTo-SecureString `$env:NARA_TEST_SECRET -AsPlainText -Force
`$login = Invoke-OidcCliLogin -Authority '$($script:Info.issuer)' -ClientId '$($script:Info.secretClientId)' -ClientSecret `$secret -Scopes api.read
"@ + "`n" + $script:Describe + "`n" + @"
`$plain = Invoke-OidcCliLogin -Authority '$($script:Info.issuer)' -ClientId '$($script:Info.secretClientId)' -ClientSecret `$secret -Scopes api.read -AsPlainText
'SAVED ' + `$plain.Source
"@)
        $step.ExitCode | Should -Be 0 -Because $step.Error
        $lines = @($step.Output -split "`r?`n")
        $result = Get-StepResult $lines
        $result.source | Should -Be 'ClientCredentials'
        $result.credential | Should -Be 'ClientSecret'
        $result.iss | Should -Be $script:Info.issuer
        $result.sub | Should -Be $script:Info.secretClientId
        $result.scope | Should -Be 'api.read'
        $result.idToken | Should -BeTrue
        Get-Listed $lines | Should -Contain 'ClientSecret'
        # The second call reuses the saved token; its plain text is masked in the log first.
        $lines | Should -Contain 'SAVED Saved'
        @($lines | Where-Object { $_ -like '##vso`[task.setsecret`]*' }).Count | Should -Be 1
        $step.Output + $step.Error | Should -Not -Match ([regex]::Escape($script:Info.clientSecret))
    }

    It 'gets an access token in Azure Pipelines with the job''s own ID token (-WorkloadIdentity), with no secret stored' {
        $step = Invoke-ChildPwsh -Environment @{
            TF_BUILD = 'True'; GITHUB_ACTIONS = $null
            SYSTEM_OIDCREQUESTURI = $script:Info.azureRequestUri; SYSTEM_ACCESSTOKEN = $script:Info.systemAccessToken
        } -Script (@"
Import-Module '$script:Manifest'
`$login = Invoke-OidcCliLogin -Authority '$($script:Info.issuer)' -ClientId '$($script:Info.federatedClientId)' -WorkloadIdentity -ServiceConnectionId '$($script:Info.serviceConnectionId)' -Scopes api.read -Verbose 4>&1
`$login = `$login | Where-Object { `$_ -isnot [System.Management.Automation.VerboseRecord] }
"@ + "`n" + $script:Describe)
        $step.ExitCode | Should -Be 0 -Because $step.Error
        $lines = @($step.Output -split "`r?`n")
        $result = Get-StepResult $lines
        $result.source | Should -Be 'ClientCredentials'
        $result.iss | Should -Be $script:Info.issuer
        $result.sub | Should -Be $script:Info.federatedClientId
        Get-Listed $lines | Should -Contain ('WorkloadIdentity (AzurePipelines, service connection {0})' -f $script:Info.serviceConnectionId)
        $step.Output + $step.Error | Should -Not -Match ([regex]::Escape($script:Info.systemAccessToken))
        # The session file holds the method and the service connection, not the job's token nor SYSTEM_ACCESSTOKEN.
        $file = Get-ChildItem -Path (Join-Path $env:XDG_CONFIG_HOME 'naraauth/oidc') -Filter *.json | Where-Object { (Get-Content -Raw $_.FullName) -match 'AzurePipelines' }
        $file | Should -Not -BeNullOrEmpty
        Get-Content -Raw $file.FullName | Should -Not -Match ([regex]::Escape($script:Info.systemAccessToken))
    }

    It 'gets an access token in GitHub Actions with the job''s own ID token (-WorkloadIdentity -Audience)' {
        $step = Invoke-ChildPwsh -Environment @{
            GITHUB_ACTIONS = 'true'; TF_BUILD = $null
            ACTIONS_ID_TOKEN_REQUEST_URL = $script:Info.gitHubRequestUrl; ACTIONS_ID_TOKEN_REQUEST_TOKEN = $script:Info.gitHubRequestToken
        } -Script (@"
Import-Module '$script:Manifest'
`$login = Invoke-OidcCliLogin -Authority '$($script:Info.issuer)' -ClientId '$($script:Info.federatedClientId)' -WorkloadIdentity -Audience '$($script:Info.issuer)' -Scopes api.write
"@ + "`n" + $script:Describe)
        $step.ExitCode | Should -Be 0 -Because $step.Error
        $lines = @($step.Output -split "`r?`n")
        $result = Get-StepResult $lines
        $result.source | Should -Be 'ClientCredentials'
        $result.sub | Should -Be $script:Info.federatedClientId
        $result.scope | Should -Be 'api.write'
        Get-Listed $lines | Should -Contain ('WorkloadIdentity (GitHubActions, audience {0})' -f $script:Info.issuer)
        $step.Output + $step.Error | Should -Not -Match ([regex]::Escape($script:Info.gitHubRequestToken))
    }

    It 'says which setting is missing when the GitHub job may not ask for its ID token' {
        $step = Invoke-ChildPwsh -Environment @{ GITHUB_ACTIONS = 'true'; TF_BUILD = $null; ACTIONS_ID_TOKEN_REQUEST_URL = $null; ACTIONS_ID_TOKEN_REQUEST_TOKEN = $null } -Script @"
Import-Module '$script:Manifest'
try { Invoke-OidcCliLogin -Authority '$($script:Info.issuer)' -ClientId '$($script:Info.federatedClientId)' -WorkloadIdentity -ErrorAction Stop }
catch { 'ERROR ' + `$_.FullyQualifiedErrorId + ' | ' + `$_.CategoryInfo.Category + ' | ' + `$_.ErrorDetails.RecommendedAction + `$_.Exception.Message }
"@
        $step.ExitCode | Should -Be 0 -Because $step.Error
        $step.Output | Should -Match 'ERROR GitHubIdTokenRequestUrlMissing,NaraAuth.Commands.InvokeOidcCliLoginCommand'
        $step.Output | Should -Match 'id-token: write'
    }

    It 'lists the client credentials sessions and removes them with Disconnect-OidcSession' {
        $sessions = @(Get-OidcSession | Where-Object ClientCredential)
        $sessions.Count | Should -BeGreaterOrEqual 3
        $gone = $sessions | Disconnect-OidcSession -Confirm:$false -PassThru
        @($gone).Count | Should -Be $sessions.Count
        @(Get-OidcSession | Where-Object ClientCredential).Count | Should -Be 0
    }
}

Describe 'An access token from a client-credentials login, passed to EdgePlane with -Token' {
    BeforeAll {
        function script:Set-EdgePlaneAuthMode([string] $Mode) {
            $body = @{ mode = $Mode; issuer = $script:Info.issuer; audience = $script:Info.edgePlaneAudience } | ConvertTo-Json
            Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/edgeplane/auth-mode" -ContentType 'application/json' -Body $body | Out-Null
        }
        # After the login: who EdgePlane says the caller is, and the project it made, or the error.
        $script:UseToken = @'
try {
    "who=" + (Get-EdgePlaneIdentity -Token $login.AccessToken).Subject
    "created_by=" + (Invoke-EdgePlaneRestMethod -Token $login.AccessToken -Method Post /api/projects @{ name = 'from-client-credentials' }).created_by
} catch {
    "error=" + $_.FullyQualifiedErrorId
    "category=" + $_.CategoryInfo.Category
    "message=" + $_.Exception.Message
}
'@
        # A pipeline step, stdin closed: under TF_BUILD unless the environment names GitHub Actions.
        function script:Invoke-LoginThenEdgePlane([string] $Login, [hashtable] $Environment) {
            if ($Environment['GITHUB_ACTIONS'] -ne 'true') { $Environment['TF_BUILD'] = 'True'; $Environment['GITHUB_ACTIONS'] = $null }
            else { $Environment['TF_BUILD'] = $null }
            $Environment['EP_BASE_URL'] = $BaseUrl; $Environment['EP_TOKEN'] = $null
            Invoke-ChildPwsh -Environment $Environment -Script ("`$ErrorActionPreference = 'Stop'; Import-Module '$script:Manifest'`n`$login = $Login`n" + $script:UseToken)
        }
        function script:Assert-AcceptedThenRefused([string] $Login, [hashtable] $Environment, [string] $Subject, [string[]] $Secrets) {
            Set-EdgePlaneAuthMode oidc
            $accepted = Invoke-LoginThenEdgePlane $Login $Environment.Clone()
            $accepted.ExitCode | Should -Be 0 -Because $accepted.Error
            $accepted.Output | Should -Match ('(?m)^who={0}\s*$' -f [regex]::Escape($Subject)) -Because $accepted.Output
            $accepted.Output | Should -Match ('(?m)^created_by={0}\s*$' -f [regex]::Escape($Subject))

            Set-EdgePlaneAuthMode token
            $refused = Invoke-LoginThenEdgePlane $Login $Environment.Clone()
            $refused.Output | Should -Match '(?m)^error=EdgePlaneTokenRejected,' -Because $refused.Output
            $refused.Output | Should -Match '(?m)^category=AuthenticationError\s*$'
            $refused.Output | Should -Match 'an OIDC access token from the -Token parameter'
            $refused.Output | Should -Match 'AUTH_MODE=token'
            foreach ($step in $accepted, $refused) {
                # No access token (a JWT) nor any credential of the login in any stream.
                $step.Output + $step.Error | Should -Not -Match 'eyJ[\w-]+\.eyJ[\w-]+'
                foreach ($secret in $Secrets) { $step.Output + $step.Error | Should -Not -Match ([regex]::Escape($secret)) }
            }
        }
    }
    AfterEach { Set-EdgePlaneAuthMode token }

    It 'is accepted by EdgePlane in AUTH_MODE oidc as the client after a client-secret login, and refused in token mode' {
        $login = "Invoke-OidcCliLogin -Authority '$($script:Info.issuer)' -ClientId '$($script:Info.secretClientId)' -ClientSecret (ConvertTo-SecureString `$env:NARA_TEST_SECRET -AsPlainText -Force) -Scopes api.read"
        Assert-AcceptedThenRefused -Login $login -Environment @{ NARA_TEST_SECRET = $script:Info.clientSecret } `
            -Subject $script:Info.secretClientId -Secrets $script:Info.clientSecret
    }

    It 'is accepted by EdgePlane in AUTH_MODE oidc after a workload-identity login in Azure Pipelines (no stored secret), and refused in token mode' {
        $login = "Invoke-OidcCliLogin -Authority '$($script:Info.issuer)' -ClientId '$($script:Info.federatedClientId)' -WorkloadIdentity -ServiceConnectionId '$($script:Info.serviceConnectionId)' -Scopes api.write"
        Assert-AcceptedThenRefused -Login $login -Environment @{ SYSTEM_OIDCREQUESTURI = $script:Info.azureRequestUri; SYSTEM_ACCESSTOKEN = $script:Info.systemAccessToken } `
            -Subject $script:Info.federatedClientId -Secrets $script:Info.systemAccessToken
    }

    It 'is accepted by EdgePlane in AUTH_MODE oidc after a workload-identity login in GitHub Actions (no stored secret), and refused in token mode' {
        $login = "Invoke-OidcCliLogin -Authority '$($script:Info.issuer)' -ClientId '$($script:Info.federatedClientId)' -WorkloadIdentity -Audience '$($script:Info.issuer)' -Scopes api.write"
        Assert-AcceptedThenRefused -Login $login -Environment @{
            GITHUB_ACTIONS = 'true'
            ACTIONS_ID_TOKEN_REQUEST_URL = $script:Info.gitHubRequestUrl; ACTIONS_ID_TOKEN_REQUEST_TOKEN = $script:Info.gitHubRequestToken
        } -Subject $script:Info.federatedClientId -Secrets $script:Info.gitHubRequestToken
    }
}
