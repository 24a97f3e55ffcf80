# docs/examples/Onboard-Machines.ps1 over PowerShell's SSH transport: three local accounts behind a
# private sshd on loopback are three machines (SshMachines.ps1), onboarded in parallel against the
# emulator, twice, plus one machine that cannot be reached. The module is copied to each machine
# over its session. What WinRM adds (its own transport encryption, the double hop to a share) is
# the Windows job's to prove.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'SshMachines.ps1')
    $script:unavailable = Get-SshMachinesUnavailableReason
    # In CI the machines must be there: a missing tool fails the run with its reason (BeforeAll).
    $script:skipSsh = ([System.Environment]::OSVersion.Platform -eq 'Win32NT') -or ($unavailable -and -not $env:CI)
}

Describe 'Onboard-Machines.ps1 over SSH remoting' -Skip:$skipSsh {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'SshMachines.ps1')
        Initialize-NaraTest -Emulator
        $why = Get-SshMachinesUnavailableReason
        if ($why) { throw "The SSH machines cannot be set up here: $why." }
        $script:machines = Start-SshMachines -Root (Join-Path $script:TestRoot 'ssh') -Count 3
        $script:example = Join-Path $script:RepoRoot 'docs/examples/Onboard-Machines.ps1'
        $script:jwt = New-EmulatorToken
        $script:deploymentSecret = 'sec_xyz789'
        # sshd lets no such account in: the fourth machine cannot be reached.
        $script:absent = 'naraauth-absent@127.0.0.1'
        $script:targets = @($machines.Accounts | ForEach-Object { "$($_.Name)@127.0.0.1" }) + $absent

        function Invoke-Onboarding([hashtable] $Arguments) {
            $ssh = @{
                HostName = $script:targets; Port = $script:machines.Port; KeyFilePath = $script:machines.KeyFilePath
                Options = $script:machines.Options; BaseUrl = $script:BaseUrl; ModulePath = (Split-Path $script:Manifest); ThrottleLimit = 8
            }
            Invoke-Captured { & $script:example @ssh @Arguments }
        }

        function Get-Row($Run, [string] $Name) { Get-Single ($Run.Output | Where-Object ComputerName -eq $Name) }

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

        function Assert-NotOnAnyWire([string] $Secret) {
            foreach ($account in $script:machines.Accounts) {
                $wire = Get-SshWireText $account
                # The capture works: the onboarding script block itself went over this wire.
                $wire.Contains('Connect-EdgeConnector') | Should -BeTrue -Because "the session of $($account.Name) was recorded"
                $wire.Contains($Secret) | Should -BeFalse -Because "nothing $($account.Name) received or sent holds the secret readably"
            }
        }
    }
    AfterAll {
        try { Stop-SshMachines (Get-Variable -Name machines -Scope Script -ValueOnly -ErrorAction SilentlyContinue) }
        finally { Complete-NaraTest }
    }

    It 'onboards the machines in parallel with the token as a SecureString, each file its account''s own, and reports the one it cannot reach' {
        $run = Invoke-Onboarding @{ Token = (ConvertTo-SecureString $jwt -AsPlainText -Force); InstallPath = '~/EdgeConnector'; Organization = 'org_1' }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 4
        foreach ($account in $machines.Accounts) {
            $row = Get-Row $run "$($account.Name)@127.0.0.1"
            $row.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Examples.MachineOnboardingResult'
            $row.Mode | Should -Be 'Token'
            $row.Status | Should -Be 'Connected'
            $row.Organization | Should -Be 'org_1'
            $row.ExpiresOn | Should -BeOfType [datetime]
            $row.ErrorId | Should -BeNullOrEmpty
            $file = Join-Path $account.Home 'EdgeConnector/auth-token.json'
            $row.Path | Should -Be $file
            [System.IO.File]::ReadAllText($file).Contains($jwt) | Should -BeTrue -Because 'the token file holds the token'
            Assert-OwnedBy $account $file
            Assert-OwnedBy $account (Join-Path $account.Home 'EdgeConnector/default-bundle.json')
            # The module was copied into the account's own module folder, and is its own too.
            (Get-Owner (Join-Path $account.Home '.local/share/powershell/Modules/NaraAuth')).Uid | Should -Be $account.Uid
        }
        $lost = Get-Row $run $absent
        $lost.Status | Should -Be 'Unreachable'
        $lost.ErrorId | Should -BeLike 'PSSessionOpenFailed*'
        $lost.Detail | Should -Not -BeNullOrEmpty
        Assert-NoSecret $run -Secret $jwt
        Assert-NotOnAnyWire $jwt
    }

    It 'finds nothing to do on the second run and changes no file' {
        $files = foreach ($account in $machines.Accounts) { 'auth-token.json', 'default-bundle.json' | ForEach-Object { Join-Path $account.Home "EdgeConnector/$_" } }
        $before = @{}
        foreach ($f in $files) { $before[$f] = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($f)) + (Get-Item $f).LastWriteTimeUtc.Ticks }

        $run = Invoke-Onboarding @{ Token = (ConvertTo-SecureString $jwt -AsPlainText -Force); InstallPath = '~/EdgeConnector'; Organization = 'org_1' }
        foreach ($account in $machines.Accounts) {
            $row = Get-Row $run "$($account.Name)@127.0.0.1"
            $row.Status | Should -Be 'AlreadyConnected'
            $row.Organization | Should -Be 'org_1'
        }
        (Get-Row $run $absent).Status | Should -Be 'Unreachable'
        foreach ($f in $files) { [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($f)) + (Get-Item $f).LastWriteTimeUtc.Ticks | Should -Be $before[$f] -Because "$f is unchanged" }
        Assert-NoSecret $run -Secret $jwt
        Assert-NotOnAnyWire $jwt
    }

    It 'passes -WhatIf to every machine: each says what it would do and writes nothing' {
        $run = Invoke-Onboarding @{ Token = (ConvertTo-SecureString $jwt -AsPlainText -Force); InstallPath = '~/Elsewhere'; WhatIf = $true }
        foreach ($account in $machines.Accounts) {
            (Get-Row $run "$($account.Name)@127.0.0.1").Status | Should -Be 'WhatIf'
            Test-Path (Join-Path $account.Home 'Elsewhere') | Should -BeFalse
        }
        (Get-Row $run $absent).Status | Should -Be 'Unreachable'
        foreach ($account in $machines.Accounts) {
            # Said by Connect-EdgeConnector on the machine, for the admin's console.
            (Get-SshWireText $account).Contains("What if: Performing the operation ""Save the validated token for organization 'org_1'") | Should -BeTrue
        }
        Assert-NoSecret $run -Secret $jwt
    }

    It 'verifies and saves deployment credentials on every machine, and keeps them on the second run' {
        $arguments = @{ DeploymentId = 'dep_abc123'; DeploymentSecret = (ConvertTo-SecureString $deploymentSecret -AsPlainText -Force); InstallPath = '~/Server' }
        $run = Invoke-Onboarding $arguments
        foreach ($account in $machines.Accounts) {
            $row = Get-Row $run "$($account.Name)@127.0.0.1"
            $row.Mode | Should -Be 'Deployment'
            $row.Status | Should -Be 'Verified'
            $row.Path | Should -Be (Join-Path $account.Home 'Server/deployment.json')
            Assert-OwnedBy $account $row.Path
        }
        $again = Invoke-Onboarding $arguments
        foreach ($account in $machines.Accounts) { (Get-Row $again "$($account.Name)@127.0.0.1").Status | Should -Be 'AlreadyVerified' }
        foreach ($captured in $run, $again) { Assert-NoSecret $captured -Secret $deploymentSecret }
        Assert-NotOnAnyWire $deploymentSecret
    }
}
