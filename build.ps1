<#
.SYNOPSIS
    Builds, tests, packages and demos NaraAuth.
.DESCRIPTION
    Needs only the .NET SDK: run it as `dotnet tool restore; dotnet pwsh ./build.ps1 -Task <task>`
    (pwsh 7.6.10 is a local .NET tool; Pester 5.7.1 is restored from NuGet by tools/Toolchain.csproj).

    Build      dotnet build: stages the importable module in out/NaraAuth.
    Test       Build, then every test: the xUnit suites (dotnet test) and the Pester suite in this pwsh.
    Pester     Only the Pester suite (or the files given with -TestPath), against the staged module.
    Demo       Build, then docs/examples/Demo.ps1: the main scenarios against the emulator.
    Package    Build, then the Gallery .nupkg in out/package, made by Compress-PSResource.
    Benchmark  Import-time benchmark.
    Clean      Removes out/ and the build outputs.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Pester -TestPath tests/pester/Get-AuthToken.Tests.ps1
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Demo', 'Benchmark', 'Clean')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',
    # Pester files or folders to run (default: all of tests/pester).
    [string[]] $TestPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
Import-Module (Join-Path $root 'tools/DevTools.psm1') -Force
$solution = Join-Path $root 'NaraAuth.sln'

function Invoke-PesterSuite {
    param([string[]] $Path)
    Import-ToolchainPester
    $config = New-PesterConfiguration
    $config.Run.Path = $Path
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    # One line, which .ci/run adds to the xUnit counts; a file that could not run at all (a
    # failed BeforeAll/AfterAll or a parse error) counts as a failure too.
    $failed = [Math]::Max($result.FailedCount, $result.FailedBlocksCount + $result.FailedContainersCount)
    Write-Host ('Pester totals: Passed: {0}, Failed: {1}, Skipped: {2}, NotRun: {3}' -f $result.PassedCount, $failed, $result.SkippedCount, $result.NotRunCount)
    $result.Result -eq 'Passed'
}

$ok = $true
foreach ($name in $Task) {
    switch ($name) {
        'Clean' {
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
            Invoke-Dotnet clean $solution -c $Configuration
        }
        'Build' {
            Invoke-Dotnet build $solution -c $Configuration
            Write-Host "Module staged at $(Join-Path $root 'out/NaraAuth')"
        }
        'Test' {
            Invoke-Dotnet build $solution -c $Configuration
            # Both suites run even when the first fails, so one run reports every failure.
            & dotnet test $solution -c $Configuration --no-build
            $xunitPassed = $LASTEXITCODE -eq 0
            $pesterPassed = Invoke-PesterSuite -Path (Join-Path $root 'tests/pester')
            $ok = $ok -and $xunitPassed -and $pesterPassed
        }
        'Pester' {
            $paths = if ($TestPath) { $TestPath } else { @(Join-Path $root 'tests/pester') }
            $ok = (Invoke-PesterSuite -Path $paths) -and $ok
        }
        'Package' {
            Invoke-Dotnet build $solution -c $Configuration
            $package = New-GalleryPackage -DestinationPath (Join-Path $root 'out/package')
            Write-Host "Gallery package: $($package.FullName)"
            Write-Host "Publish with: Publish-PSResource -NupkgPath '$($package.FullName)' -Repository PSGallery -ApiKey <key>"
        }
        'Demo' {
            Invoke-Dotnet build $solution -c $Configuration
            & (Join-Path $root 'docs/examples/Demo.ps1')
        }
        'Benchmark' {
            Invoke-Dotnet run -c Release --project (Join-Path $root 'tests/NaraAuth.ImportBenchmark')
        }
    }
}
if (-not $ok) { exit 1 }
