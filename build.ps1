<#
.SYNOPSIS
    Builds, tests, packages and demos NaraAuth.
.DESCRIPTION
    The .NET SDK does the real work (dotnet build stages out/NaraAuth and out/package); this script
    adds what needs pwsh: the Pester suite and publishing helpers.
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Benchmark', 'Clean')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

foreach ($name in $Task) {
    switch ($name) {
        'Clean' {
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
            Invoke-Dotnet clean (Join-Path $root 'NaraAuth.sln') -c $Configuration
        }
        'Build' {
            Invoke-Dotnet build (Join-Path $root 'NaraAuth.sln') -c $Configuration
            Write-Host "Module staged at $(Join-Path $root 'out/NaraAuth')"
        }
        'Test' {
            # The same command as the README and .ci/run, then Pester where it is installed.
            Invoke-Dotnet test (Join-Path $root 'NaraAuth.sln') -c $Configuration
            $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0' | Sort-Object Version -Descending | Select-Object -First 1
            if ($pester) {
                Import-Module $pester -Force
                $config = New-PesterConfiguration
                $config.Run.Path = Join-Path $root 'tests/pester'
                $config.Run.Exit = $true
                $config.Output.Verbosity = 'Detailed'
                Invoke-Pester -Configuration $config
            }
            else {
                Write-Warning 'Pester 5 is not installed: skipped tests/pester (Install-Module Pester -MinimumVersion 5.0).'
            }
        }
        'Package' {
            Invoke-Dotnet build (Join-Path $root 'src/NaraAuth.Package/NaraAuth.Package.csproj') -c Release
            $manifest = Import-PowerShellDataFile (Join-Path $root 'NaraAuth.psd1')
            $versioned = Join-Path $root "out/publish/NaraAuth/$($manifest.ModuleVersion)"
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out/publish')
            New-Item -ItemType Directory -Force $versioned | Out-Null
            Copy-Item -Recurse (Join-Path $root 'out/NaraAuth/*') $versioned
            Test-ModuleManifest (Join-Path $versioned 'NaraAuth.psd1') | Out-Null
            Write-Host "Versioned module folder: $versioned"
            Write-Host "Gallery package: $(Join-Path $root "out/package/NaraAuth.$($manifest.ModuleVersion).nupkg")"
            Write-Host "Publish with: Publish-PSResource -Path '$versioned' -ApiKey <key>"
        }
        'Demo' {
            Invoke-Dotnet run --project (Join-Path $root 'src/NaraAuth.Demo')
        }
        'Benchmark' {
            Invoke-Dotnet run -c Release --project (Join-Path $root 'tests/NaraAuth.ImportBenchmark')
        }
    }
}
