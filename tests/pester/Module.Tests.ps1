# The module as a whole: its manifest, its help, that this suite has a Describe for every exported
# cmdlet, the emulator as a well-behaved process, and the Gallery round trip a user makes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest
}
AfterAll { Complete-NaraTest }

Describe 'NaraAuth module' {
    It 'passes Test-ModuleManifest' {
        Test-ModuleManifest $Manifest | Should -Not -BeNullOrEmpty
    }

    It 'has help with two examples or more for every cmdlet' {
        foreach ($command in Get-Command -Module NaraAuth) {
            (Get-Help $command.Name).Synopsis | Should -Not -BeNullOrEmpty
            @((Get-Help $command.Name -Full).examples.example).Count | Should -BeGreaterOrEqual 2
        }
    }

    It 'has a Describe in this suite for every exported cmdlet' {
        $described = Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' | Select-String -Pattern "^Describe '([A-Za-z]+-[A-Za-z]+)'" |
            ForEach-Object { $_.Matches[0].Groups[1].Value }
        foreach ($cmdlet in (Get-Module NaraAuth).ExportedCmdlets.Keys) { $described | Should -Contain $cmdlet }
    }
}

Describe 'The emulator process' {
    It 'prints its usage with --help and exits 0' {
        $text = & dotnet (Find-EmulatorBinary) --help
        $LASTEXITCODE | Should -Be 0
        ($text -join "`n") | Should -Match '--pre-approve'
    }

    It 'names the approval page, the demo deployment, the OIDC client and how to stop in its banner' {
        $emulator = Start-NaraEmulator
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            do { $banner = Get-Content -Raw "$($emulator.LogPath).out" -ErrorAction SilentlyContinue; if ($banner -match 'Ctrl\+C') { break }; Start-Sleep -Milliseconds 100 } while ([DateTime]::UtcNow -lt $deadline)
            $banner | Should -Match ([regex]::Escape("$($emulator.BaseUrl)/desktop/approve?code="))
            $banner | Should -Match "DEPLOYMENT_ID='dep_abc123'"
            $banner | Should -Match ([regex]::Escape("-Authority $($emulator.BaseUrl)/oidc -ClientId naraauth-cli"))
            $banner | Should -Match 'Press Ctrl\+C to stop\.'
        }
        finally { Stop-NaraEmulator $emulator }
    }

    It 'exits 1 with one clear line when its port is taken' {
        $first = Start-NaraEmulator
        try {
            $port = ([uri]$first.BaseUrl).Port
            $err = Join-Path $script:TestRoot 'taken.err'
            $second = Start-Process -FilePath dotnet -ArgumentList @(('"{0}"' -f (Find-EmulatorBinary)), '--port', $port) -PassThru -NoNewWindow -RedirectStandardError $err -RedirectStandardOutput "$err.out"
            $second.WaitForExit(60000) | Should -BeTrue
            $second.ExitCode | Should -Be 1
            $lines = @(Get-Content $err)
            $lines.Count | Should -Be 1
            $lines[0] | Should -Match "port $port on 127\.0\.0\.1 is already in use"
        }
        finally { Stop-NaraEmulator $first }
    }

    It 'stops cleanly on <Signal> without a terminal' -Skip:([System.Environment]::OSVersion.Platform -eq 'Win32NT') -ForEach @(
        @{ Signal = 'TERM' }, @{ Signal = 'INT' }
    ) {
        $emulator = Start-NaraEmulator
        try {
            & kill "-$Signal" $emulator.Id
            $emulator.Process.WaitForExit(10000) | Should -BeTrue
            $emulator.Process.ExitCode | Should -Be 0
            Get-Content "$($emulator.LogPath).out" | Should -Contain 'NaraAuth emulator stopped.'
        }
        finally { Stop-NaraEmulator $emulator }
    }
}

Describe 'Gallery round trip' {
    It 'publishes the built package to a file repository, installs it, imports it by name and runs a cmdlet' {
        # All in a fresh pwsh whose profile is temporary: PSResourceGet's repository list and the
        # CurrentUser module folder live there, never in the real user's profile.
        $work = Join-Path $script:TestRoot 'gallery'
        $tempHome = Join-Path $work 'home'
        New-Item -ItemType Directory -Force -Path $tempHome | Out-Null
        $environment = @{ HOME = $tempHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; PSModulePath = $null }
        # dotnet itself keeps the real profile's tool and package caches.
        if (-not $OnWindows) { $environment['DOTNET_CLI_HOME'] = $SavedEnvironment['HOME'] }
        # In the temporary folder: Publish-PSResource leaves a NuGet/NuGet.Config in its current directory.
        $publish = Invoke-ChildPwsh -Environment $environment -WorkingDirectory $work -Script @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
Import-Module '$(Join-Path $RepoRoot 'tools/DevTools.psm1')'
`$package = New-GalleryPackage -DestinationPath '$work/package'
New-Item -ItemType Directory -Force -Path '$work/feed' | Out-Null
Register-PSResourceRepository -Name NaraAuthRoundTrip -Uri '$work/feed' -Trusted
try {
    Publish-PSResource -NupkgPath `$package.FullName -Repository NaraAuthRoundTrip
    if ('$OnWindows' -eq 'True') { Save-PSResource -Name NaraAuth -Repository NaraAuthRoundTrip -Path '$work/modules' -TrustRepository }
    else { Install-PSResource -Name NaraAuth -Repository NaraAuthRoundTrip -Scope CurrentUser -TrustRepository }
}
finally { Unregister-PSResourceRepository -Name NaraAuthRoundTrip }
'published'
"@
        $publish.Error | Should -BeNullOrEmpty
        $publish.ExitCode | Should -Be 0
        $modules = if ($OnWindows) { Join-Path $work 'modules' } else { Join-Path $tempHome '.local/share/powershell/Modules' }
        $environment['PSModulePath'] = $modules
        $use = Invoke-ChildPwsh -Environment $environment -WorkingDirectory $work -Script @"
Import-Module NaraAuth -ErrorAction Stop
`$base = (Get-Module NaraAuth).ModuleBase
'base=' + `$base
'manifest=' + (Test-ModuleManifest (Join-Path `$base 'NaraAuth.psd1') -ErrorAction Stop).Name
try { Get-AuthToken -Path (Join-Path '$work' 'none.json') -ErrorAction Stop } catch { 'error=' + `$_.FullyQualifiedErrorId }
'repositories=' + ((Get-PSResourceRepository).Name -join ',')
"@
        $use.ExitCode | Should -Be 0
        $use.Output | Should -Match ('base=' + [regex]::Escape((Join-Path $modules 'NaraAuth')))
        $use.Output | Should -Match 'manifest=NaraAuth'
        $use.Output | Should -Match 'error=TokenFileNotFound,NaraAuth.Commands.GetAuthTokenCommand'
        $use.Output | Should -Not -Match 'NaraAuthRoundTrip'
    }
}
