# What build.ps1, the demo and the Pester suite share: the NuGet-restored toolchain, the emulator
# as a process of its own (started from its built binary, stopped by its process id), and a fresh
# pwsh of the pinned version for child processes. Runs on Windows PowerShell 5.1 and PowerShell 7.

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:OnWindows = [System.Environment]::OSVersion.Platform -eq 'Win32NT'

function Get-RepoRoot { $script:RepoRoot }

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-NuGetPackageFolder {
    # The folder restore really used (NUGET_PACKAGES, nuget.config or the default), as the assets
    # file records it; restoring the small toolchain project is quick once the packages are cached.
    $project = Join-Path $script:RepoRoot 'tools/Toolchain.csproj'
    $assets = Join-Path $script:RepoRoot 'tools/obj/project.assets.json'
    if (-not (Test-Path $assets) -or (Get-Item $assets).LastWriteTimeUtc -lt (Get-Item $project).LastWriteTimeUtc) {
        Invoke-Dotnet restore $project --verbosity quiet | Out-Null
    }
    $folders = (Get-Content -Raw $assets | ConvertFrom-Json).packageFolders
    @($folders.PSObject.Properties.Name)[0]
}

function Import-ToolchainPester {
    # Pester as pinned in tools/Toolchain.csproj, never whatever the Gallery or the machine has.
    $version = '5.7.1'
    $manifest = Join-Path (Get-NuGetPackageFolder) "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $version was not restored to $manifest." }
    Remove-Module Pester -ErrorAction SilentlyContinue
    Import-Module $manifest -Force -Global
}

function Find-EmulatorBinary {
    # The emulator as the build left it: the most recently built configuration.
    $candidates = Get-ChildItem -Path (Join-Path $script:RepoRoot 'src/NaraAuth.Emulator/bin') -Filter 'NaraAuth.Emulator.dll' -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -like 'net*' } | Sort-Object LastWriteTimeUtc -Descending
    if (-not $candidates) { throw 'The emulator is not built: run "dotnet build NaraAuth.sln" (or ./build.ps1) first.' }
    @($candidates)[0].FullName
}

function Start-NaraEmulator {
    <#
    .SYNOPSIS
        Starts the emulator from its built binary on a free port; returns its process and base URL.
    #>
    [CmdletBinding()]
    param([switch] $PreApprove, [int] $Port = 0, [TimeSpan] $Timeout = [TimeSpan]::FromSeconds(60))
    $log = Join-Path ([System.IO.Path]::GetTempPath()) ('naraauth-emulator-' + [guid]::NewGuid().ToString('n'))
    # Start-Process joins the arguments with spaces as they are: quote the path.
    $arguments = @(('"{0}"' -f (Find-EmulatorBinary)), '--port', $Port)
    if ($PreApprove) { $arguments += '--pre-approve' }
    # Port 0: the emulator binds a free port itself and names it on its first line, so there is
    # no window in which another process can take a port picked here.
    $process = Start-Process -FilePath dotnet -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
    $deadline = [DateTime]::UtcNow + $Timeout
    $baseUrl = $null
    while (-not $baseUrl) {
        $first = Get-Content -Path "$log.out" -TotalCount 1 -ErrorAction SilentlyContinue
        if ($first -match 'listening on (http://\S+?)/?$') { $baseUrl = $Matches[1]; break }
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            $why = (Get-Content -Raw -Path "$log.err" -ErrorAction SilentlyContinue)
            Stop-NaraEmulator ([pscustomobject]@{ Process = $process; LogPath = $log })
            throw "The emulator did not start: $why"
        }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{ Process = $process; Id = $process.Id; BaseUrl = $baseUrl; LogPath = $log }
}

function Stop-NaraEmulator {
    <#
    .SYNOPSIS
        Stops the emulator by its process id (SIGTERM on Unix, so it shuts down cleanly) and removes its log.
    #>
    param([Parameter(Mandatory)] $Emulator)
    $process = $Emulator.Process
    if ($process -and -not $process.HasExited) {
        if ($script:OnWindows) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue }
        else { & kill -TERM $process.Id 2>$null }
        if (-not $process.WaitForExit(10000)) { $process.Kill(); $process.WaitForExit(5000) | Out-Null }
    }
    Remove-Item -Path "$($Emulator.LogPath).out", "$($Emulator.LogPath).err" -Force -ErrorAction SilentlyContinue
}

function Get-PwshCommandLine {
    <#
    .SYNOPSIS
        The executable and leading arguments that start the pinned pwsh (the local .NET tool) in a
        fresh process, from pwsh or Windows PowerShell alike.
    #>
    $pwshDll = $null
    if ($PSVersionTable.PSEdition -eq 'Core' -and (Test-Path (Join-Path $PSHOME 'pwsh.dll')) -and
        [System.IO.Path]::GetFileNameWithoutExtension([System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName) -eq 'dotnet') {
        $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    }
    else {
        $tool = (Get-Content -Raw (Join-Path $script:RepoRoot '.config/dotnet-tools.json') | ConvertFrom-Json).tools.powershell.version
        $found = Get-ChildItem -Path (Join-Path (Get-NuGetPackageFolder) "powershell/$tool/tools") -Filter pwsh.dll -Recurse -ErrorAction SilentlyContinue |
            Where-Object { ($script:OnWindows -and $_.Directory.Name -eq 'win') -or (-not $script:OnWindows -and $_.Directory.Name -eq 'unix') } | Select-Object -First 1
        if (-not $found) { throw "pwsh $tool is not restored: run 'dotnet tool restore'." }
        $pwshDll = $found.FullName
    }
    @('dotnet', $pwshDll)
}

function New-GalleryPackage {
    <#
    .SYNOPSIS
        Packs the staged module into the Gallery's .nupkg with PSResourceGet itself, so the tested
        package is the one Publish-PSResource would ship.
    #>
    param([Parameter(Mandatory)] [string] $DestinationPath, [string] $ModulePath = (Join-Path $script:RepoRoot 'out/NaraAuth'))
    if (-not (Test-Path (Join-Path $ModulePath 'NaraAuth.psd1'))) { throw "No staged module at ${ModulePath}: build first." }
    New-Item -ItemType Directory -Force -Path $DestinationPath | Out-Null
    $version = (Import-PowerShellDataFile (Join-Path $ModulePath 'NaraAuth.psd1')).ModuleVersion
    $package = Join-Path $DestinationPath "NaraAuth.$version.nupkg"
    Remove-Item -Path $package -Force -ErrorAction SilentlyContinue
    Compress-PSResource -Path $ModulePath -DestinationPath $DestinationPath
    if (-not (Test-Path $package)) { throw "Compress-PSResource made no $package." }
    Get-Item $package
}

Export-ModuleMember -Function Get-RepoRoot, Invoke-Dotnet, Get-NuGetPackageFolder, Import-ToolchainPester, Find-EmulatorBinary,
    Start-NaraEmulator, Stop-NaraEmulator, Get-PwshCommandLine, New-GalleryPackage
