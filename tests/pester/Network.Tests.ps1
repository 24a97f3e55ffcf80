# -Proxy, -ProxyCredential and -TimeoutSec from a real PowerShell: a forwarding proxy on loopback
# that wants an account, in front of the emulator (also on loopback, so the proxy must not be
# bypassed for it).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator

    $script:proxyPassword = 'pester-proxy-pass-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    $script:proxyAccount = [pscredential]::new('pester-proxy', (ConvertTo-SecureString $proxyPassword -AsPlainText -Force))
    $script:expectedAuthorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("pester-proxy:$proxyPassword"))

    # The proxy: one request per connection; 407 without the account, else forwarded to the origin
    # without the Proxy-* headers. Every request head it receives is logged.
    $script:proxyLog = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
    $script:listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $script:proxyUrl = [Uri]('http://127.0.0.1:{0}' -f $listener.LocalEndpoint.Port)
    $script:proxyRunner = [powershell]::Create()
    [void]$proxyRunner.AddScript({
        param($listener, $log, $expected)
        while ($true) {
            try { $client = $listener.AcceptTcpClient() } catch { return }
            try {
                $client.ReceiveTimeout = 10000
                $stream = $client.GetStream()
                $buffer = New-Object byte[] 65536
                $length = 0
                $end = -1
                while ($end -lt 0 -and $length -lt $buffer.Length) {
                    $read = $stream.Read($buffer, $length, $buffer.Length - $length)
                    if ($read -eq 0) { break }
                    $length += $read
                    $end = [Text.Encoding]::ASCII.GetString($buffer, 0, $length).IndexOf("`r`n`r`n")
                }
                if ($end -lt 0) { continue }
                $head = [Text.Encoding]::ASCII.GetString($buffer, 0, $end)
                [void]$log.Add($head)
                $lines = $head -split "`r`n"
                $authorization = @($lines | Where-Object { $_ -like 'Proxy-Authorization:*' }) -replace '^Proxy-Authorization:\s*', ''
                if ("$authorization" -ne $expected) {
                    $answer = "HTTP/1.1 407 Proxy Authentication Required`r`nProxy-Authenticate: Basic realm=`"pester`"`r`nContent-Length: 0`r`nConnection: close`r`n`r`n"
                    $bytes = [Text.Encoding]::ASCII.GetBytes($answer)
                    $stream.Write($bytes, 0, $bytes.Length)
                    continue
                }
                # A request body (a form post) may come after the head in a later segment: all of it goes on.
                $declared = @($lines | Where-Object { $_ -match '^Content-Length:\s*(\d+)' } | ForEach-Object { [int]$Matches[1] })[0]
                while ($declared -and $length -lt $end + 4 + $declared -and $length -lt $buffer.Length) {
                    $read = $stream.Read($buffer, $length, $buffer.Length - $length)
                    if ($read -eq 0) { break }
                    $length += $read
                }
                $requestLine = $lines[0] -split ' '
                $method = $requestLine[0]
                $uri = [Uri]$requestLine[1]
                $origin = [System.Net.Sockets.TcpClient]::new($uri.Host, $uri.Port)
                try {
                    $originStream = $origin.GetStream()
                    $kept = @($lines | Select-Object -Skip 1 | Where-Object { $_ -notmatch '^(Proxy-[^:]*|Connection):' })
                    $forward = "$method $($uri.PathAndQuery) HTTP/1.1`r`n" + (($kept + 'Connection: close') -join "`r`n") + "`r`n`r`n"
                    $bytes = [Text.Encoding]::ASCII.GetBytes($forward)
                    $originStream.Write($bytes, 0, $bytes.Length)
                    if ($length -gt $end + 4) { $originStream.Write($buffer, $end + 4, $length - $end - 4) }
                    $originStream.CopyTo($stream)
                }
                finally { $origin.Dispose() }
            }
            catch { }
            finally { $client.Dispose() }
        }
    }).AddArgument($listener).AddArgument($proxyLog).AddArgument($expectedAuthorization)
    $script:proxyRun = $proxyRunner.BeginInvoke()

    function script:Get-ProxiedTarget([string] $Path) {
        @($proxyLog | Where-Object { ($_ -split "`r`n")[0] -match ('^GET ' + [regex]::Escape($script:BaseUrl + $Path)) -and $_ -match [regex]::Escape("Proxy-Authorization: $expectedAuthorization") })
    }

    function script:Assert-AccountOnlyForTheProxy {
        # The account is in Proxy-Authorization only: no other header of any request carries it.
        foreach ($head in $proxyLog) {
            foreach ($line in ($head -split "`r`n")) {
                if ($line -like 'Proxy-Authorization:*') { continue }
                $line | Should -Not -Match ([regex]::Escape($proxyPassword))
                $line | Should -Not -Match ([regex]::Escape($expectedAuthorization.Substring(6)))
            }
        }
    }
}

AfterAll {
    if ($script:listener) { $listener.Stop() }
    if ($script:proxyRunner) { $proxyRunner.Dispose() }
    Complete-NaraTest
}

Describe 'Network parameters through a proxy on loopback' {
    BeforeEach { $proxyLog.Clear() }

    It 'Get-AuthToken -Verify fetches the signing keys through the proxy, with its account sent to the proxy alone' {
        $install = Use-Installation
        $jwt = New-EmulatorToken -Role member
        Set-Content -Path (Join-Path $install 'auth-token.json') -Value ('{"token": "' + $jwt + '"}') -NoNewline
        if (-not $OnWindows) { chmod 600 (Join-Path $install 'auth-token.json') }

        $captured = Invoke-Captured { Get-AuthToken -Verify -Proxy $proxyUrl -ProxyCredential $proxyAccount -TimeoutSec 20 -Verbose }
        $captured.Errors | Should -BeNullOrEmpty
        (Get-Single $captured.Output).SignatureVerified | Should -BeTrue
        @(Get-ProxiedTarget '/.well-known/jwks.json').Count | Should -BeGreaterThan 0
        @($proxyLog | Where-Object { $_ -notmatch 'Proxy-Authorization:' }).Count | Should -BeGreaterThan 0 -Because 'the proxy asked for its account first'
        ($captured.Verbose -join "`n") | Should -Match ([regex]::Escape("through the proxy http://127.0.0.1:$($proxyUrl.Port)"))
        Assert-AccountOnlyForTheProxy
        Assert-NoSecret $captured -Secret $proxyPassword, $jwt
    }

    It 'Connect-EdgeConnector validates and syncs the bundle through the proxy' {
        $install = Use-Installation
        $jwt = New-EmulatorToken -Role member
        $captured = Invoke-Captured { Connect-EdgeConnector -Token $jwt -Proxy $proxyUrl -ProxyCredential $proxyAccount }
        $captured.Errors | Should -BeNullOrEmpty
        (Get-Single $captured.Output).Status | Should -Be 'Connected'
        @(Get-ProxiedTarget '/api/me/organizations').Count | Should -BeGreaterThan 0
        @(Get-ProxiedTarget '/api/edge-connector/bundles/default').Count | Should -BeGreaterThan 0
        Test-Path (Join-Path $install 'default-bundle.json') | Should -BeTrue
        Assert-AccountOnlyForTheProxy
        Assert-NoSecret $captured -Secret $proxyPassword, $jwt
    }

    It 'Disconnect-OidcSession revokes the login at the provider through the proxy, with its account sent to the proxy alone' {
        # A device-code login at the emulator's provider, taken by the test over HTTP and saved where
        # Invoke-OidcCliLogin keeps its sessions.
        $device = Invoke-RestMethod -Method Post -Uri "$BaseUrl/oidc/device_authorization" -Body @{ client_id = 'naraauth-cli'; scope = 'openid offline_access' }
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/oidc/device/$($device.user_code)/approve" | Out-Null
        $tokens = Invoke-RestMethod -Method Post -Uri "$BaseUrl/oidc/token" -Body @{
            client_id = 'naraauth-cli'; grant_type = 'urn:ietf:params:oauth:grant-type:device_code'; device_code = $device.device_code
        }
        $tokens.refresh_token | Should -Not -BeNullOrEmpty
        $folder = Join-Path $(if ($OnWindows) { $env:APPDATA } else { $env:XDG_CONFIG_HOME }) 'naraauth/oidc'
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        $session = Join-Path $folder 'pester-proxy-logout.json'
        $saved = [ordered]@{
            issuer = "$BaseUrl/oidc"; client_id = 'naraauth-cli'; scope = 'openid offline_access'; subject = 'ada'
            id_token = $tokens.id_token; access_token = $tokens.access_token; refresh_token = $tokens.refresh_token; saved_at = [DateTime]::UtcNow.ToString('o')
        }
        Set-Content -Path $session -Value ($saved | ConvertTo-Json) -NoNewline
        if (-not $OnWindows) { chmod 600 $session }

        $captured = Invoke-Captured { Disconnect-OidcSession -Path $session -Proxy $proxyUrl -ProxyCredential $proxyAccount -TimeoutSec 20 -Confirm:$false -PassThru -Verbose }
        $captured.Errors | Should -BeNullOrEmpty
        $result = Get-Single $captured.Output
        $result.Status | Should -Be 'Disconnected'
        $result.RevokedAtProvider | Should -Contain 'RefreshToken'
        Test-Path $session | Should -BeFalse
        @($proxyLog | Where-Object { ($_ -split "`r`n")[0] -match ('^POST ' + [regex]::Escape("$BaseUrl/oidc/revoke")) -and $_ -match [regex]::Escape("Proxy-Authorization: $expectedAuthorization") }).Count |
            Should -BeGreaterThan 0
        # The provider no longer takes the revoked refresh token.
        { Invoke-RestMethod -Method Post -Uri "$BaseUrl/oidc/token" -Body @{ client_id = 'naraauth-cli'; grant_type = 'refresh_token'; refresh_token = $tokens.refresh_token } } |
            Should -Throw
        Assert-AccountOnlyForTheProxy
        Assert-NoSecret $captured -Secret $proxyPassword, $tokens.refresh_token, $tokens.id_token
    }

    It 'refuses a proxy address that carries a password, without quoting it' {
        $err = Get-ErrorFromScript { Get-EdgePlaneIdentity -Proxy 'http://someone:pester-secret-in-url@127.0.0.1:9' -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'CredentialsInUrl,*'
        ($err | Out-String) | Should -Not -Match 'pester-secret-in-url'
    }
}

Describe 'TimeoutSec against a server that never answers' {
    BeforeAll {
        # Started and never accepted from: connections complete in the backlog, and no request is answered.
        $script:silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        $script:silentUri = 'http://127.0.0.1:{0}/api/whoami' -f $silent.LocalEndpoint.Port
    }
    AfterAll { if ($script:silent) { $silent.Stop() } }

    It 'ends each attempt of Test-ApiKey at -TimeoutSec instead of the 100 s request default' {
        $captured = Invoke-Captured { Test-ApiKey -ApiKey 'pester-never-answered-key' -Uri $silentUri -TimeoutSec 1 }
        $captured.Errors | Should -BeNullOrEmpty
        $result = Get-Single $captured.Output
        "$($result.Result)" | Should -Be 'Unreachable'
        $result.Message | Should -Match 'did not answer within 1 s'
        Assert-NoSecret $captured -Secret 'pester-never-answered-key'
    }
}
