# Connect-EdgeConnector, Get-NaraAuthStatus and Disconnect-EdgeConnector with -Session over
# PowerShell's SSH transport on loopback: three local accounts behind a private sshd are three
# machines (SshMachines.ps1). The module reaches them over their sessions by itself; what each
# machine's pwsh received and sent is scanned for the token. What WinRM adds is the Windows job's.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'SshMachines.ps1')
    $script:skipSsh = Test-SkipSshMachines
}

Describe 'Cmdlets with -Session over SSH remoting' -Skip:$skipSsh {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'SshMachines.ps1')
        Initialize-NaraTest -Emulator
        Assert-SshMachinesAvailable
        $script:machines = Start-SshMachines -Root (Join-Path $script:TestRoot 'ssh') -Count 3
        $script:jwt = New-EmulatorToken
        $script:version = (Import-PowerShellDataFile $script:Manifest).ModuleVersion

        function New-MachineSession($Accounts) {
            @(New-PSSession -HostName ($Accounts | ForEach-Object { "$($_.Name)@127.0.0.1" }) -Port $script:machines.Port `
                    -KeyFilePath $script:machines.KeyFilePath -Options $script:machines.Options)
        }
        $script:sessions = New-MachineSession $machines.Accounts
        # New-PSSession opens the sessions in parallel and returns them in the order they opened,
        # so a machine's session is found by its account, never by its place in the list.
        function Get-SessionOf($Account) { Get-Single ($script:sessions | Where-Object { $_.Runspace.ConnectionInfo.UserName -eq $Account.Name }) }

        function Get-Owner([string] $Path) {
            $uid, $mode = (& stat -c '%u %a' $Path) -split ' '
            [pscustomobject]@{ Uid = [int]$uid; Mode = $mode }
        }
        function Assert-OwnedBy($Account, [string] $File) {
            (Get-Owner $File).Uid | Should -Be $Account.Uid -Because "$File belongs to the machine's account"
            (Get-Owner $File).Mode | Should -Be '600'
            (Get-Owner (Split-Path $File)).Uid | Should -Be $Account.Uid
            (Get-Owner (Split-Path $File)).Mode | Should -Be '700'
        }
        function Get-Row($Rows, $Account) { Get-Single ($Rows | Where-Object PSUserName -EQ $Account.Name) }
        function Get-FileStamp($Accounts, [string] $Folder) {
            $stamp = @{}
            foreach ($account in $Accounts) {
                foreach ($name in 'auth-token.json', 'default-bundle.json') {
                    $f = Join-Path $account.Home "$Folder/$name"
                    $stamp[$f] = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($f)) + (Get-Item $f).LastWriteTimeUtc.Ticks
                }
            }
            $stamp
        }
        function Assert-NotOnAnyWire([string] $Secret) {
            foreach ($account in $script:machines.Accounts) {
                $wire = Get-SshWireText $account
                $wire.Contains('Connect-EdgeConnector') | Should -BeTrue -Because "the session of $($account.Name) was recorded"
                $wire.Contains($Secret) | Should -BeFalse -Because "nothing $($account.Name) received or sent holds the secret readably"
            }
        }
    }
    AfterAll {
        try {
            $open = Get-Variable -Name sessions -Scope Script -ValueOnly -ErrorAction SilentlyContinue
            if ($open) { Remove-PSSession -Session $open -ErrorAction SilentlyContinue }
            Stop-SshMachines (Get-Variable -Name machines -Scope Script -ValueOnly -ErrorAction SilentlyContinue)
        }
        finally { Complete-NaraTest }
    }

    It 'onboards every machine in parallel, copying the module into each account''s own folder; each file is its account''s, 0600' {
        $captured = Invoke-Captured {
            Connect-EdgeConnector -Session $sessions -ThrottleLimit 8 -Token (ConvertTo-SecureString $jwt -AsPlainText -Force) `
                -InstallPath '~/EdgeConnector' -Organization org_1 -BaseUrl $BaseUrl -Verbose
        }
        $captured.Errors | Should -BeNullOrEmpty
        $captured.Output.Count | Should -Be 3
        ($captured.Verbose -join "`n") | Should -Match 'Copying the NaraAuth module'
        foreach ($account in $machines.Accounts) {
            $row = Get-Row $captured.Output $account
            $row.PSObject.BaseObject.GetType().FullName | Should -Be 'NaraAuth.Models.EdgeConnectorConnection'
            $row.PSComputerName | Should -Be '127.0.0.1'
            $row.Status | Should -Be ([NaraAuth.Models.EdgeConnectorStatus]::Connected)
            $row.Organization | Should -Be 'org_1'
            $row.ExpiresOn | Should -BeOfType [datetimeoffset]
            $file = Join-Path $account.Home 'EdgeConnector/auth-token.json'
            $row.TokenPath | Should -Be $file
            Assert-OwnedBy $account $file
            Assert-OwnedBy $account (Join-Path $account.Home 'EdgeConnector/default-bundle.json')
            $modules = Join-Path $account.Home '.local/share/powershell/Modules/NaraAuth'
            (Get-Owner (Join-Path $modules $version)).Uid | Should -Be $account.Uid
            @(Get-ChildItem $modules).Name | Should -Be $version -Because 'no partial copy is left beside the module'
        }
        # The table view of the local result, with the machine column remoting adds.
        ($captured.Output | Format-Rendered) | Should -Match 'PSComputerName'
        Assert-NoSecret $captured -Secret $jwt
        Assert-NotOnAnyWire $jwt
    }

    It 'finds nothing to do on the second run, changes no file and copies no module, even with the JWT given as a string' {
        $before = Get-FileStamp $machines.Accounts 'EdgeConnector'
        $captured = Invoke-Captured { Connect-EdgeConnector -Session $sessions -Token $jwt -InstallPath '~/EdgeConnector' -Organization org_1 -BaseUrl $BaseUrl -Verbose }
        $captured.Errors | Should -BeNullOrEmpty
        foreach ($account in $machines.Accounts) { (Get-Row $captured.Output $account).Status | Should -Be 'AlreadyConnected' }
        ($captured.Verbose -join "`n") | Should -Not -Match 'Copying the NaraAuth module'
        # Each machine's verbose line reaches the admin's verbose stream, naming the machine.
        foreach ($account in $machines.Accounts) { ($captured.Verbose -join "`n") | Should -Match "$($account.Name)@127\.0\.0\.1: Using the token given as a raw JWT" }
        $after = Get-FileStamp $machines.Accounts 'EdgeConnector'
        foreach ($f in $before.Keys) { $after[$f] | Should -Be $before[$f] -Because "$f is unchanged" }
        Assert-NoSecret $captured -Secret $jwt
        Assert-NotOnAnyWire $jwt
    }

    It 'reports a closed session as one error naming its machine, and a machine that fails as one error naming it, while the others connect' {
        $closed = New-MachineSession $machines.Accounts[2]
        Remove-PSSession -Session $closed
        # The second machine is broken: its installation folder belongs to root.
        $broken = $machines.Accounts[1]
        New-Item -ItemType Directory -Path (Join-Path $broken.Home 'Second') | Out-Null
        $captured = Invoke-Captured {
            Connect-EdgeConnector -Session @((Get-SessionOf $machines.Accounts[0]), (Get-SessionOf $broken), $closed) -Token (ConvertTo-SecureString $jwt -AsPlainText -Force) -InstallPath '~/Second' -BaseUrl $BaseUrl -ErrorAction Continue
        }
        $captured.Output.Count | Should -Be 1 -Because ($captured.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId) $($_.TargetObject): $($_.Exception.Message)" } | Out-String)
        (Get-Row $captured.Output $machines.Accounts[0]).Status | Should -Be 'Connected'
        $captured.Errors.Count | Should -Be 2
        $gone = Get-Single ($captured.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'RemoteSessionNotOpened,*' })
        $gone.TargetObject | Should -Be "$($machines.Accounts[2].Name)@127.0.0.1"
        $gone.CategoryInfo.Category | Should -Be 'ConnectionError'
        $failed = Get-Single ($captured.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'SecureStoreWriteFailed,*' })
        $failed.TargetObject | Should -Be "$($broken.Name)@127.0.0.1"
        Test-Path (Join-Path $broken.Home 'Second/auth-token.json') | Should -BeFalse
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'passes -WhatIf to every machine: nothing is written and a machine without the module gets no copy' {
        $bare = $machines.Accounts[0]
        $module = Join-Path $bare.Home '.local/share/powershell/Modules/NaraAuth'
        Remove-Item -Recurse -Force -Path $module
        $captured = Invoke-Captured { Connect-EdgeConnector -Session $sessions -Token (ConvertTo-SecureString $jwt -AsPlainText -Force) -InstallPath '~/Elsewhere' -BaseUrl $BaseUrl -WhatIf }
        $captured.Output | Should -BeNullOrEmpty
        $captured.Errors | Should -BeNullOrEmpty
        foreach ($account in $machines.Accounts) { Test-Path (Join-Path $account.Home 'Elsewhere') | Should -BeFalse }
        Test-Path $module | Should -BeFalse
        $captured.Transcript | Should -Match ([regex]::Escape("Copy the NaraAuth module $version"))
        foreach ($account in $machines.Accounts[1..2]) {
            (Get-SshWireText $account).Contains('What if: Performing the operation') | Should -BeTrue -Because 'the machine says what it would write'
        }
        @($sessions | Where-Object State -EQ 'Opened').Count | Should -Be 3
    }

    It 'shows every machine''s credentials with Get-NaraAuthStatus -Session, each row naming its machine' {
        $captured = Invoke-Captured { Get-NaraAuthStatus -Session $sessions -InstallPath '~/EdgeConnector' -Kind EdgeConnectorToken }
        $captured.Errors | Should -BeNullOrEmpty
        $captured.Output.Count | Should -Be 3
        foreach ($account in $machines.Accounts) {
            $row = Get-Row $captured.Output $account
            $row.PSObject.BaseObject.GetType().FullName | Should -Be 'NaraAuth.Models.CredentialStatusInfo'
            $row.PSComputerName | Should -Be '127.0.0.1'
            $row.Kind | Should -Be ([NaraAuth.Models.CredentialKind]::EdgeConnectorToken)
            $row.State | Should -Be 'Valid'
            $row.Path | Should -Be (Join-Path $account.Home 'EdgeConnector/auth-token.json')
            $row.Owner | Should -Be $account.Name
            $row.IsProtected | Should -BeTrue
        }
        $shown = $captured.Output | Format-Rendered
        foreach ($account in $machines.Accounts) { $shown | Should -Match ([regex]::Escape($account.Name)) }
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'logs every machine out with Disconnect-EdgeConnector -Session' {
        $captured = Invoke-Captured { Disconnect-EdgeConnector -Session $sessions -InstallPath '~/EdgeConnector' -PassThru -Confirm:$false }
        $captured.Errors | Should -BeNullOrEmpty
        foreach ($account in $machines.Accounts) {
            $row = Get-Row $captured.Output $account
            $row.PSObject.BaseObject.GetType().FullName | Should -Be 'NaraAuth.Models.EdgeConnectorDisconnection'
            $row.Status | Should -Be 'Disconnected'
            Test-Path (Join-Path $account.Home 'EdgeConnector/auth-token.json') | Should -BeFalse
        }
    }
}
