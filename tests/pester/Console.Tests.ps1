# What only a console shows, in a real pseudo-terminal (tmux): an interactive pwsh typed into like
# a person does. Each test arranges the terminal and clears the CI variables for the pwsh it
# starts, so the suite passes under CI=true with no standard input. Runs where tmux exists
# (Linux and macOS; .ci/run installs it); the Windows jobs cover the same cmdlets without a terminal.

BeforeDiscovery {
    $script:noTmux = $null -eq (Get-Command tmux -ErrorAction SilentlyContinue)
    # ($IsLinux does not exist in Windows PowerShell 5.1.)
    $script:onLinux = [bool](Get-Variable -Name IsLinux -ValueOnly -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
    # A tmux server of this file's own: killed in AfterAll with everything it runs.
    $script:socket = 'naraauth-' + [guid]::NewGuid().ToString('n').Substring(0, 12)
    $script:setup = Join-Path $script:TestRoot 'console-setup.ps1'
    Set-Content -Path $setup -Value @"
function global:prompt { 'READY> ' }
Import-Module '$Manifest' -Global
"@

    function script:Start-Console {
        <# An interactive pwsh in a fresh 160x45 pseudo-terminal, at its prompt. #>
        $pwsh = Get-PwshCommandLine
        $script:pane = 'console' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        $command = "env -u CI -u TF_BUILD -u GITHUB_ACTIONS '$($pwsh[0])' '$($pwsh[1])' -NoProfile -NoLogo -NoExit -File '$setup'"
        & tmux -L $socket new-session -d -s $pane -x 160 -y 45 $command
        Wait-Screen 'READY> ' -TimeoutSeconds 60 | Out-Null
    }
    function script:Get-Screen { (& tmux -L $socket capture-pane -p -J -t $pane -S -200) -join "`n" }
    function script:Send-Line([string] $Text) {
        & tmux -L $socket send-keys -t $pane -l $Text
        & tmux -L $socket send-keys -t $pane Enter
    }
    function script:Wait-Screen([string] $Pattern, [int] $TimeoutSeconds = 30, [int] $Count = 1) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        do {
            $screen = Get-Screen
            if ([regex]::Matches($screen, $Pattern).Count -ge $Count) { return $screen }
            Start-Sleep -Milliseconds 50
        } while ([DateTime]::UtcNow -lt $deadline)
        throw "Not on the screen within $TimeoutSeconds s: $Pattern`n---`n$screen"
    }
    function script:Stop-Console { & tmux -L $socket kill-session -t $pane 2>$null }
}
AfterAll {
    if (Get-Command tmux -ErrorAction SilentlyContinue) { & tmux -L $socket kill-server 2>$null }
    Complete-NaraTest
}

Describe 'Connect-EdgeConnector at a console' -Skip:$noTmux {
    BeforeEach { $script:dir = Use-Installation; Start-Console }
    AfterEach { Stop-Console }

    It 'shows the code, the URL and a countdown even when the result is assigned' {
        Send-Line '$c = Connect-EdgeConnector -NoBrowser -SkipBundleSync'
        $screen = Wait-Screen 'check that the page shows the code [A-Z0-9]{4}-[A-Z0-9]{4}'
        $code = [regex]::Match($screen, 'shows the code ([A-Z0-9]{4}-[A-Z0-9]{4})').Groups[1].Value
        $screen | Should -Match "desktop/approve\?code=$code"
        # The URL stands whole on a line of its own, where neither the bar nor a wrap cuts it.
        $screen | Should -Match "(?m)^http://127\.0\.0\.1:\d+/desktop/approve\?code=$code\s*$"
        # The countdown: the progress line ends with the seconds left to approve, and they go down.
        $countdown = "Waiting for approval of code $code \[Approve in the browser .*?(\d+)s\]"
        $first = [int][regex]::Match((Wait-Screen $countdown), $countdown).Groups[1].Value
        $later = { [int][regex]::Match((Get-Screen), $countdown).Groups[1].Value }
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ((& $later) -ge $first -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        (& $later) | Should -BeLessThan $first
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/desktop/$code/approve" | Out-Null
        Wait-Screen 'READY> ' -Count 2 | Out-Null
        Send-Line '"status=$($c.Status)"'
        Wait-Screen 'status=Connected' | Out-Null
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeTrue
    }

    It 'says a browser window opened and still shows the URL whole on its own line' {
        # A "browser" that starts and exits, as xdg-open does.
        Send-Line "`$env:BROWSER = '$((Get-Command true).Source)'"
        Send-Line '$c = Connect-EdgeConnector -SkipBundleSync -LoginTimeoutSec 600'
        $screen = Wait-Screen 'check that the page shows the code [A-Z0-9]{4}-[A-Z0-9]{4}'
        $code = [regex]::Match($screen, 'shows the code ([A-Z0-9]{4}-[A-Z0-9]{4})').Groups[1].Value
        $screen | Should -Match 'A browser window opened for the login to the Edge Connector\. If it did not appear, open this URL:'
        $screen | Should -Match "(?m)^http://127\.0\.0\.1:\d+/desktop/approve\?code=$code\s*$"
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/desktop/$code/approve" | Out-Null
        Wait-Screen 'READY> ' -Count 3 | Out-Null
    }

    It 'returns the prompt within a second of Ctrl+C and leaves the old token byte for byte' {
        Connect-EdgeConnector -Token (New-EmulatorToken) -SkipBundleSync | Out-Null
        $before = [System.IO.File]::ReadAllBytes((Join-Path $dir 'auth-token.json'))
        Send-Line 'Connect-EdgeConnector -NoBrowser -SkipBundleSync -Force'
        # Ctrl+C while it waits for the approval: once its countdown is on the screen.
        Wait-Screen 'Waiting for approval of code [A-Z0-9]{4}-[A-Z0-9]{4} \[' | Out-Null
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        & tmux -L $socket send-keys -t $pane C-c
        Wait-Screen 'READY> ' -Count 2 -TimeoutSeconds 10 | Out-Null
        $clock.Stop()
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 1.0
        # What Ctrl+C did, and what the page still open in the browser will (not) do.
        Get-Screen | Should -Match 'The login to the Edge Connector was cancelled; nothing was saved\. The page left open in the browser will do nothing here'
        [System.IO.File]::ReadAllBytes((Join-Path $dir 'auth-token.json')) | Should -Be $before
        @(Get-ChildItem -Path $dir -Filter '*.tmp') | Should -BeNullOrEmpty
    }
}

Describe 'Prompts answered by typing' -Skip:$noTmux {
    BeforeEach { Start-Console }
    AfterEach { Stop-Console }

    It 'Invoke-OidcCliLogin -PromptForGrantId takes the grant id the person types' {
        $env:EP_BASE_URL = $BaseUrl
        Send-Line 'Invoke-OidcCliLogin -NoBrowser -PromptForGrantId | Format-List Subject, Email'
        $screen = Wait-Screen 'cli-login\?cli_nonce=(\S+)'
        $nonce = [regex]::Match($screen, 'cli_nonce=([A-Za-z0-9_]+)').Groups[1].Value
        # The person logs in on the provider's page, which shows the grant id to type.
        $page = Invoke-WebRequest -UseBasicParsing -Method Post -Uri "$BaseUrl/auth/oidc/cli-login" -Body @{ cli_nonce = $nonce; subject = 'grace'; email = 'grace@example.com' }
        $grant = [regex]::Match($page.Content, '<code id="grant_id">([^<]+)</code>').Groups[1].Value
        $grant | Should -Not -BeNullOrEmpty
        Wait-Screen 'grant' | Out-Null
        Send-Line $grant
        $screen = Wait-Screen 'Email\s+: grace@example\.com'
        $screen | Should -Match 'Subject\s+: grace'
        $screen | Should -Not -Match ([regex]::Escape((Get-Content -Raw (Join-Path $env:HOME '.edgeplane/session.json') | ConvertFrom-Json).token))
    }

    It '-Confirm asks before removing the login and does what the person types' {
        $dir = Use-Installation
        Connect-EdgeConnector -Token (New-EmulatorToken) -SkipBundleSync | Out-Null
        Send-Line "Disconnect-EdgeConnector -InstallPath '$dir' -Confirm"
        Wait-Screen '\[Y\] Yes' | Out-Null
        Send-Line 'n'
        Wait-Screen 'READY> ' -Count 2 | Out-Null
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeTrue
        Send-Line "Disconnect-EdgeConnector -InstallPath '$dir' -Confirm"
        Wait-Screen '\[Y\] Yes' -Count 2 | Out-Null
        Send-Line 'y'
        Wait-Screen 'READY> ' -Count 3 | Out-Null
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeFalse
    }
}

Describe 'Invoke-OidcCliLogin -UseDeviceCode at a console' -Skip:$noTmux {
    BeforeEach { Start-Console }
    AfterEach { Stop-Console }

    It 'shows where to enter the code, waits for the person, and returns the validated session without its tokens' {
        Send-Line "`$s = Invoke-OidcCliLogin -Authority '$BaseUrl/oidc' -ClientId naraauth-cli -UseDeviceCode; 'subject:' + `$s.Subject"
        $screen = Wait-Screen 'The code expires at '
        # The URL alone on its line, then the code to enter there (no browser on this console).
        $screen | Should -Match "(?m)^$([regex]::Escape($BaseUrl))/oidc/device\s*$"
        $screen | Should -Match 'Then enter the code \S+ on that page'
        Wait-Screen '\d+:\d\d left' | Out-Null
        $userCode = [regex]::Match($screen, 'enter the code (\S+)').Groups[1].Value
        # The person enters the code on the provider's page and approves.
        Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/oidc/device/$userCode/approve" | Out-Null
        $screen = Wait-Screen 'subject:\w+'
        $screen | Should -Match "Logged in to $([regex]::Escape($BaseUrl))/oidc as "
        $screen | Should -Not -Match 'eyJ[A-Za-z0-9_-]{20,}'
    }
}

Describe 'Server text with terminal escape sequences at a console' -Skip:$noTmux {
    BeforeEach { Start-Console }
    AfterEach {
        Stop-Console
        Invoke-RestMethod -Method Delete -Uri "$BaseUrl/_emulator/faults" | Out-Null
    }

    It 'neither retitles nor clears the terminal, and fakes no line, when a provider sends them in the code and the error' {
        # A hostile provider: the code would set the window title, clear the screen and move the
        # cursor up; the error would clear the screen and start a fake line of its own.
        $device = '{"device_code":"dc_x","user_code":"WDJB\u001b]0;owned-title\u0007\u001b[2J\u001b[1A\r-MZHB","verification_uri":"' + $BaseUrl + '/oidc/device","expires_in":600,"interval":1}'
        $refusal = '{"error":"invalid_client","error_description":"\u001b[2J\u001b[HPS C:\\> Fake prompt\u001b[31m"}'
        foreach ($fault in @(
                @{ pathPrefix = '/oidc/device_authorization'; method = 'POST'; status = 200; body = $device },
                @{ pathPrefix = '/oidc/token'; method = 'POST'; status = 400; body = $refusal })) {
            Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/faults" -ContentType 'application/json' -Body ($fault | ConvertTo-Json) | Out-Null
        }
        Send-Line "'MARKER-BEFORE-LOGIN'"
        Wait-Screen '(?m)^MARKER-BEFORE-LOGIN' | Out-Null
        Send-Line "Invoke-OidcCliLogin -Authority '$BaseUrl/oidc' -ClientId naraauth-cli -UseDeviceCode -Force"
        $screen = Wait-Screen 'OidcTokenRequestFailed|refused the device login' -TimeoutSeconds 60
        Wait-Screen 'READY> ' -Count 3 | Out-Null
        $screen = Get-Screen
        # Nothing cleared the screen: what was there before the login still is.
        $screen | Should -Match '(?m)^MARKER-BEFORE-LOGIN'
        # The code is shown, its escape sequences gone, on the line where it belongs.
        $screen | Should -Match 'enter the code WDJB'
        $screen | Should -Match '-MZHB'
        # The error's text is quoted inside the message, not as a prompt at the start of a line.
        $screen | Should -Match 'Fake prompt'
        $screen | Should -Not -Match '(?m)^PS C:\\> Fake prompt'
        # The terminal's title is not the provider's.
        (& tmux -L $socket display-message -p -t $pane '#{pane_title}') | Should -Not -Match 'owned-title'
    }
}

Describe 'The quick-start demo at a console' -Skip:$noTmux {
    It 'walks the main scenarios, shows what a person sees, and stops its emulator' {
        $pwsh = Get-PwshCommandLine
        $pane = 'demo'
        $log = Join-Path $script:TestRoot 'demo.log'
        $demo = Join-Path $RepoRoot 'docs/examples/Demo.ps1'
        & tmux -L $socket new-session -d -s $pane -x 160 -y 45 "env -u CI -u TF_BUILD -u GITHUB_ACTIONS '$($pwsh[0])' '$($pwsh[1])' -NoProfile -File '$demo' > '$log' 2>&1; echo DEMO-EXIT=`$? >> '$log'"
        $deadline = [DateTime]::UtcNow.AddSeconds(180)
        while (-not ((Test-Path $log) -and (Get-Content -Raw $log) -match 'DEMO-EXIT=')) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "The demo did not finish: $(Get-Content -Raw $log -ErrorAction SilentlyContinue)" }
            Start-Sleep -Milliseconds 200
        }
        # As a person reads it: without the colour sequences the terminal interprets.
        $shown = (Get-Content -Raw $log) -replace "$([char]27)\[[0-9;]*m", ''
        $shown | Should -Match 'DEMO-EXIT=0'
        $shown | Should -Match 'desktop/approve\?code=[A-Z0-9]{4}-[A-Z0-9]{4}'
        $shown | Should -Match 'Status\s+: AlreadyConnected'
        $shown | Should -Match 'Logged in to http://127\.0\.0\.1:\d+ as ada'
        $shown | Should -Match 'hidden; shown only once'
        $shown | Should -Match 'AgentName\s+: summarizeTicket'
        $shown | Should -Match 'RunId\s+: run_1'
        $shown | Should -Match 'Status\s+: completed'
        $shown | Should -Match "Revoked server token 'Old build agent'"
        $shown | Should -Match 'IsValid\s+: True'
        $shown | Should -Match 'Demo finished\.'
        $shown | Should -Not -Match 'nara_tk_|eyJ[A-Za-z0-9_-]{20,}'
        $emulatorId = [regex]::Match($shown, 'process (\d+)').Groups[1].Value
        Get-Process -Id $emulatorId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'gives itself a pseudo-terminal when started without a console, and still walks every scenario' -Skip:(-not $onLinux) {
        $run = Invoke-ChildPwsh -Environment @{ CI = $null; TF_BUILD = $null; GITHUB_ACTIONS = $null } -Script "& '$(Join-Path $RepoRoot 'docs/examples/Demo.ps1')'"
        $shown = $run.Output -replace "$([char]27)\[[0-9;?]*[A-Za-z=>]", ''
        $run.ExitCode | Should -Be 0 -Because $shown
        $shown | Should -Match 'desktop/approve\?code=[A-Z0-9]{4}-[A-Z0-9]{4}'
        $shown | Should -Match 'Demo finished\.'
        $emulatorId = [regex]::Match($shown, 'process (\d+)').Groups[1].Value
        Get-Process -Id $emulatorId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
