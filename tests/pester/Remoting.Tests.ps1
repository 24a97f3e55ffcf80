# docs/examples/Onboard-Machines.ps1 (a layer over the cmdlets' -Session) over PowerShell's SSH transport: three local accounts behind a
# private sshd on loopback are three machines (SshMachines.ps1), onboarded in parallel against the
# emulator, twice, plus one machine that cannot be reached. The module is copied to each machine
# over its session. What WinRM adds (its own transport encryption, the double hop to a share) is
# the Windows job's to prove.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'SshMachines.ps1')
    $script:skipSsh = Test-SkipSshMachines
}

Describe 'Onboard-Machines.ps1 over SSH remoting' -Skip:$skipSsh {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'SshMachines.ps1')
        Initialize-NaraTest -Emulator
        Assert-SshMachinesAvailable
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

        # An Azure Pipelines file as hashtables and arrays: read with YamlDotNet (as restored for
        # the xUnit suites) in a pwsh of its own, so this one never loads a second copy of it.
        function Read-PipelineFile([string] $Path) {
            $props = [xml](Get-Content -Raw (Join-Path $script:RepoRoot 'Directory.Packages.props'))
            $version = @($props.Project.ItemGroup.PackageVersion | Where-Object Include -eq 'YamlDotNet')[0].Version
            $dll = Join-Path (Get-NuGetPackageFolder) "yamldotnet/$version/lib/netstandard2.0/YamlDotNet.dll"
            $reader = {
                param($Dll, $Path)
                Add-Type -Path $Dll
                function ConvertFrom-YamlNode($Node) {
                    if ($Node -is [YamlDotNet.RepresentationModel.YamlMappingNode]) {
                        $map = [ordered]@{}
                        foreach ($pair in $Node.Children) { $map[$pair.Key.Value] = ConvertFrom-YamlNode $pair.Value }
                        return $map
                    }
                    if ($Node -is [YamlDotNet.RepresentationModel.YamlSequenceNode]) { return , @($Node.Children | ForEach-Object { ConvertFrom-YamlNode $_ }) }
                    $Node.Value
                }
                $stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
                $text = [System.IO.StreamReader]::new($Path)
                try { $stream.Load($text) } finally { $text.Dispose() }
                ConvertFrom-YamlNode $stream.Documents[0].RootNode | ConvertTo-Json -Depth 20 -Compress
            }
            $child = Invoke-ChildPwsh -Script "& { $reader } '$dll' '$Path'"
            $child.ExitCode | Should -Be 0 -Because $child.Error
            $child.Output | ConvertFrom-Json -AsHashtable
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
            $row.ExpiresOn | Should -BeOfType [datetimeoffset]
            $row.ExpiresOn.Offset | Should -Be ([timespan]::Zero)
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

    It 'passes -WhatIf to every machine of sessions opened beforehand: each says what it would do, writes nothing (not even the module), and the sessions stay open' {
        # The first machine has lost its module: under -WhatIf it is not copied again.
        $bare = $machines.Accounts[0]
        $module = Join-Path $bare.Home '.local/share/powershell/Modules/NaraAuth'
        Remove-Item -Recurse -Force -Path $module
        $sessions = @(New-PSSession -HostName ($machines.Accounts | ForEach-Object { "$($_.Name)@127.0.0.1" }) -Port $machines.Port -KeyFilePath $machines.KeyFilePath -Options $machines.Options)
        try {
            $sessions.Count | Should -Be 3
            $run = Invoke-Captured {
                & $example -Session $sessions -Token (ConvertTo-SecureString $jwt -AsPlainText -Force) -InstallPath '~/Elsewhere' -BaseUrl $BaseUrl `
                    -ModulePath (Split-Path $Manifest) -ConnectParameter @{ SkipBundleSync = $true } -WhatIf
            }
            $run.Output.Count | Should -Be 3
            foreach ($account in $machines.Accounts) {
                (Get-Row $run "$($account.Name)@127.0.0.1").Status | Should -Be 'WhatIf'
                Test-Path (Join-Path $account.Home 'Elsewhere') | Should -BeFalse
            }
            Test-Path $module | Should -BeFalse
            $run.Transcript | Should -Match 'What if: Performing the operation "Copy the NaraAuth module'
            foreach ($account in $machines.Accounts[1..2]) {
                # Said by Connect-EdgeConnector on the machine, for the admin's console.
                $wire = Get-SshWireText $account
                $wire.Contains("What if: Performing the operation ""Save the validated token for organization 'org_1', owner-only"" on target") | Should -BeTrue -Because 'with -SkipBundleSync passed through, no bundle is mentioned'
            }
            @($sessions | Where-Object State -eq 'Opened').Count | Should -Be 3 -Because 'sessions passed in are the caller''s to close'
            Assert-NoSecret $run -Secret $jwt
        }
        finally { if ($sessions) { Remove-PSSession -Session $sessions } }
    }

    It 'verifies and saves deployment credentials on every machine, keeps them on the second run, and isolates a machine that fails' {
        # The third machine is broken: its installation folder belongs to root, so its account cannot write there.
        $healthy = $machines.Accounts[0..1]
        $broken = $machines.Accounts[2]
        New-Item -ItemType Directory -Path (Join-Path $broken.Home 'Server') | Out-Null
        $arguments = @{ DeploymentId = 'dep_abc123'; DeploymentSecret = (ConvertTo-SecureString $deploymentSecret -AsPlainText -Force); InstallPath = '~/Server' }
        $run = Invoke-Onboarding $arguments
        $run.Output.Count | Should -Be 4 -Because (($run.Output | Format-Table ComputerName, Status, ErrorId | Out-String) + ($run.Errors | Out-String))
        foreach ($account in $healthy) {
            $row = Get-Row $run "$($account.Name)@127.0.0.1"
            $row.Mode | Should -Be 'Deployment'
            $row.Status | Should -Be 'Verified'
            $row.Path | Should -Be (Join-Path $account.Home 'Server/deployment.json')
            Assert-OwnedBy $account $row.Path
        }
        $failed = Get-Row $run "$($broken.Name)@127.0.0.1"
        $failed.Status | Should -Be 'Failed'
        $failed.ErrorId | Should -BeLike 'SecureStoreWriteFailed,*'
        $failed.Detail | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $broken.Home 'Server/deployment.json') | Should -BeFalse

        $again = Invoke-Onboarding $arguments
        foreach ($account in $healthy) {
            $kept = Get-Row $again "$($account.Name)@127.0.0.1"
            $kept.Status | Should -Be 'AlreadyVerified'
            $kept.Path | Should -Be (Join-Path $account.Home 'Server/deployment.json')
            $kept.ErrorId | Should -BeNullOrEmpty
        }
        (Get-Row $again "$($broken.Name)@127.0.0.1").ErrorId | Should -Be $failed.ErrorId
        foreach ($captured in $run, $again) { Assert-NoSecret $captured -Secret $deploymentSecret }
        Assert-NotOnAnyWire $deploymentSecret
    }

    It 'runs the Azure Pipelines sample: the secret only through env:, the script it calls present, every machine onboarded' {
        $path = Join-Path $RepoRoot 'docs/examples/onboard-machines.azure-pipelines.yml'
        $pipeline = Read-PipelineFile $path
        $pipeline.variables.Keys | Should -Not -Contain 'NARA_ONBOARDING_TOKEN' -Because 'a secret variable is never written in the file'
        $steps = @($pipeline.steps | Where-Object { $_.task -eq 'PowerShell@2' })
        $step = Get-Single $steps
        $step.inputs.pwsh | Should -Be 'true'
        $step.inputs.targetType | Should -Be 'inline'
        # The secret's only way in: the env: mapping of the step; no macro is pasted into a script.
        $step.env.NARA_ONBOARDING_TOKEN | Should -Be '$(NARA_ONBOARDING_TOKEN)'
        @([regex]::Matches([System.IO.File]::ReadAllText($path), [regex]::Escape('$(NARA_ONBOARDING_TOKEN)'))).Count | Should -Be 1
        $step.inputs.script | Should -Not -Match '\$\([A-Za-z_][\w.]*\)' -Because 'a $(...) macro is pasted into the script text'
        $called = [regex]::Match($step.inputs.script, '\./(docs/examples/[\w.-]+\.ps1)').Groups[1].Value
        $called | Should -Be 'docs/examples/Onboard-Machines.ps1'
        Test-Path (Join-Path $RepoRoot $called) | Should -BeTrue

        # The step as the agent runs it: the pipeline's variables and the step's env: in the
        # environment (secure files and the secret resolved), pointed at the machines here.
        $environment = @{}
        foreach ($name in $pipeline.variables.Keys) { $environment[$name.Replace('.', '_').ToUpperInvariant()] = $pipeline.variables[$name] }
        $environment.TF_BUILD = 'True'
        $environment.NARA_BASE_URL = $BaseUrl
        $environment.ONBOARDING_MACHINES = ($machines.Accounts | ForEach-Object { "$($_.Name)@127.0.0.1" }) -join ' '
        $environment.ONBOARDING_SSH_PORT = [string]$machines.Port
        $environment.ONBOARDING_INSTALL_PATH = '~/FromPipeline'
        $environment.PSModulePath = (Join-Path $RepoRoot 'out') + [System.IO.Path]::PathSeparator + $env:PSModulePath
        $macros = @{
            NARA_ONBOARDING_TOKEN = $jwt
            'onboardingKey.secureFilePath' = $machines.KeyFilePath
            'knownHosts.secureFilePath' = $machines.Options.UserKnownHostsFile
        }
        foreach ($name in $step.env.Keys) { $environment[$name] = [regex]::Replace($step.env[$name], '\$\(([^)]+)\)', { param($m) $macros[$m.Groups[1].Value] }) }
        $run = Invoke-ChildPwsh -Script $step.inputs.script -Environment $environment
        $run.ExitCode | Should -Be 0 -Because $run.Error
        foreach ($account in $machines.Accounts) {
            $run.Output | Should -Match "(?m)^$($account.Name)@127\.0\.0\.1\s+Connected\s+org_1"
            Assert-OwnedBy $account (Join-Path $account.Home 'FromPipeline/auth-token.json')
        }
        ($run.Output + $run.Error).Contains($jwt) | Should -BeFalse -Because 'the step never shows the token'
        Assert-NotOnAnyWire $jwt
    }
}

# The argument checks need no machine, so they run everywhere, Windows included.
Describe 'Onboard-Machines.ps1 arguments' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Initialize-NaraTest
        $script:example = Join-Path $script:RepoRoot 'docs/examples/Onboard-Machines.ps1'
        $script:secret = ConvertTo-SecureString 'sec_xyz789' -AsPlainText -Force
    }
    AfterAll { Complete-NaraTest }

    It 'stops with <Id> (InvalidArgument) for <Case>, before any machine is contacted' -ForEach @(
        @{ Case = 'no credential'; Id = 'CredentialMissing'; Arguments = @{} }
        @{ Case = 'a token and a deployment'; Id = 'CredentialMissing'; Arguments = @{ Token = 'token'; DeploymentId = 'dep_abc123' } }
        @{ Case = 'a deployment without its secret'; Id = 'DeploymentSecretMissing'; Arguments = @{ DeploymentId = 'dep_abc123'; InstallPath = '/opt/edge' } }
        @{ Case = 'a deployment without a place for its credentials'; Id = 'CredentialsPathMissing'; Arguments = @{ DeploymentId = 'dep_abc123'; DeploymentSecret = 'secret' } }
        @{ Case = 'a module folder without the module'; Id = 'ModuleManifestNotFound'; Arguments = @{ Token = 'token'; ModulePath = 'no-such-folder' } }
    ) {
        foreach ($name in 'Token', 'DeploymentSecret') { if ($Arguments.ContainsKey($name)) { $Arguments[$name] = $secret } }
        $err = Get-ErrorFromScript { & $example -HostName 'edge@machine.invalid' @Arguments }
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}
