<#
.SYNOPSIS
    Runs test suites as a developer with credentials would: every variable the module reads names a
    decoy credential, and afterwards every decoy file must be byte-for-byte as it was.

.DESCRIPTION
    The suites isolate the variables of tests/environment-variables.json (the module's catalogue,
    EnvironmentVariables.All). This script proves it from outside: it creates a decoy profile
    (a home folder with an Edge Connector token, deployment credentials, a NodeTool config, an
    EdgePlane session and OIDC sessions where the module would look for them), sets every variable
    of the list to point at a decoy or hold a decoy secret, runs the chosen xUnit classes and Pester
    files with that environment, and fails when a run fails, when a decoy file changed or vanished,
    when a file appeared outside the caches pwsh and dotnet keep in a home folder, or when a decoy
    secret shows up in the runs' output.

    The decoy addresses are loopback ports nothing listens on, so a leak can never reach a network.
    The dotnet CLI keeps its own home (DOTNET_CLI_HOME, NUGET_PACKAGES) so the tools still resolve.

.EXAMPLE
    dotnet pwsh ./tests/Invoke-DecoyCredentialRun.ps1
    Builds nothing; runs the default representative subset against the last build.

.EXAMPLE
    dotnet pwsh ./tests/Invoke-DecoyCredentialRun.ps1 -CoreClass '*CredentialInventoryTests' -ModuleClass '*GetAuthTokenTests' -PesterPath tests/pester/AuthToken.Tests.ps1
#>
[CmdletBinding()]
param(
    # xUnit classes of tests/NaraAuth.Core.Tests to run (Microsoft.Testing.Platform --filter-class).
    [string[]] $CoreClass = @('*EnvironmentCatalogueTests', '*CredentialInventoryTests', '*WorkerTokenStoreTests', '*StoredTokenCheckTests', '*SavedLoginLogoutTests'),
    # xUnit classes of tests/NaraAuth.Module.Tests to run.
    [string[]] $ModuleClass = @('*GetAuthTokenTests', '*ConnectEdgeConnectorDeploymentTests', '*WorkerTokenTests', '*NaraAuthStatusTests', '*ClientCredentialsTests', '*OidcLogoutRevocationTests'),
    # Pester files to run.
    [string[]] $PesterPath = @('tests/pester/AuthToken.Tests.ps1', 'tests/pester/Status.Tests.ps1', 'tests/pester/ClientCredentials.Tests.ps1')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$variables = @(Get-Content -Raw (Join-Path $root 'tests/environment-variables.json') | ConvertFrom-Json)
$decoy = Join-Path ([IO.Path]::GetTempPath()) ('naraauth-decoy-' + [guid]::NewGuid().ToString('n'))
$decoyHome = Join-Path $decoy 'home'

function New-DecoyFile([string] $Path, [string] $Text) {
    New-Item -ItemType Directory -Force -Path (Split-Path $Path) | Out-Null
    [IO.File]::WriteAllText($Path, $Text)
    if (-not $IsWindows) { chmod 600 $Path }
    $Path
}

function Get-DecoyState {
    Get-ChildItem -LiteralPath $decoy -Recurse -Force -File | Sort-Object FullName |
        ForEach-Object { '{0} {1}' -f (Get-FileHash -Algorithm SHA256 -LiteralPath $_.FullName).Hash, $_.FullName.Substring($decoy.Length) }
}

$secret = 'decoy-' + [guid]::NewGuid().ToString('n')
$jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZWNveSJ9.' + $secret
$install = Join-Path $decoy 'edge-connector'
$values = @{
    NARA_BASE_URL               = 'http://127.0.0.1:9'
    NARA_TOKEN                  = "nara_tk_$secret"
    AUTH_TOKEN_PATH             = New-DecoyFile (Join-Path $decoy 'auth/auth-token.json') ('{"token":"' + $jwt + '"}')
    EDGE_CONNECTOR_HOME         = $install
    DEPLOYMENT_ID               = 'dep_decoy'
    DEPLOYMENT_SECRET           = "deploy-$secret"
    DEPLOYMENT_CREDENTIALS_PATH = New-DecoyFile (Join-Path $decoy 'deployment.json') ('{"deploymentId":"dep_decoy","deploymentSecret":"file-' + $secret + '"}')
    EP_BASE_URL                 = 'http://127.0.0.1:9'
    EP_TOKEN                    = "ep-$secret"
    OIDC_ISSUER_URL             = 'http://127.0.0.1:9/decoy/'
    OIDC_CLIENT_ID              = 'decoy-client'
    OIDC_SCOPES                 = 'openid decoy'
    WORKER_AUTH_TOKEN           = "worker-$secret"
    NODETOOL_CONFIG_PATH        = New-DecoyFile (Join-Path $decoy 'nodetool/deployment.yaml') "worker_auth_token: yaml-$secret`n"
    CI                          = 'true'
    TF_BUILD                    = 'True'
    GITHUB_ACTIONS              = 'true'
    SYSTEM_OIDCREQUESTURI       = 'http://127.0.0.1:9/decoy/oidctoken'
    SYSTEM_ACCESSTOKEN          = "system-$secret"
    ACTIONS_ID_TOKEN_REQUEST_URL   = 'http://127.0.0.1:9/decoy/idtoken'
    ACTIONS_ID_TOKEN_REQUEST_TOKEN = "actions-$secret"
    HOME                        = $decoyHome
    USERPROFILE                 = $decoyHome
    APPDATA                     = Join-Path $decoyHome 'AppData/Roaming'
    LOCALAPPDATA                = Join-Path $decoyHome 'AppData/Local'
    XDG_CONFIG_HOME             = Join-Path $decoyHome '.config'
    BROWSER                     = Join-Path $decoy 'no-such-browser'
    DISPLAY                     = ':99'
    WAYLAND_DISPLAY             = 'wayland-decoy'
    PATH                        = $env:PATH
}
$missing = $variables | Where-Object { -not $values.ContainsKey($_) }
if ($missing) {
    # The decoys written so far go too: a refused run leaves nothing behind.
    Remove-Item -Recurse -Force -LiteralPath $decoy -ErrorAction SilentlyContinue
    throw "No decoy for $($missing -join ', '): add one here."
}

# Where the module would find a login with no variable set: the per-user folders and the worker's default.
New-DecoyFile (Join-Path $install 'config.json') '{"platformUrl":"http://127.0.0.1:9"}' | Out-Null
New-DecoyFile (Join-Path $install 'auth-token.json') ('{"token":"' + $jwt + '"}') | Out-Null
foreach ($folder in (Join-Path $decoyHome '.config/naraauth'), (Join-Path $decoyHome 'AppData/Local/naraauth')) {
    New-DecoyFile (Join-Path $folder 'auth-token.json') ('{"token":"' + $jwt + '"}') | Out-Null
    New-DecoyFile (Join-Path $folder 'edgeplane/session.json') ('{"access_token":"' + $jwt + '","base_url":"http://127.0.0.1:9"}') | Out-Null
}
New-DecoyFile (Join-Path $decoyHome '.config/nodetool/deployment.yaml') "worker_auth_token: home-$secret`n" | Out-Null
New-DecoyFile (Join-Path $decoyHome 'AppData/Roaming/nodetool/deployment.yaml') "worker_auth_token: appdata-$secret`n" | Out-Null

$before = Get-DecoyState
$saved = @{}
foreach ($name in $variables + 'DOTNET_CLI_HOME', 'NUGET_PACKAGES') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
$realHome = [Environment]::GetFolderPath('UserProfile')
$failures = [Collections.Generic.List[string]]::new()
$output = [Text.StringBuilder]::new()
try {
    # The dotnet CLI and NuGet keep the real home, so the restored tools and packages resolve.
    if (-not $env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME = $realHome }
    if (-not $env:NUGET_PACKAGES) { $env:NUGET_PACKAGES = Join-Path $realHome '.nuget/packages' }
    foreach ($name in $variables) { [Environment]::SetEnvironmentVariable($name, $values[$name]) }

    $runs = @()
    if ($CoreClass) { $runs += , @('tests/NaraAuth.Core.Tests', $CoreClass) }
    if ($ModuleClass) { $runs += , @('tests/NaraAuth.Module.Tests', $ModuleClass) }
    foreach ($run in $runs) {
        $arguments = @('test', '--project', (Join-Path $root $run[0]), '--no-build')
        foreach ($class in $run[1]) { $arguments += '--filter-class', $class }
        $text = & dotnet @arguments 2>&1 | Out-String
        [void] $output.AppendLine($text)
        if ($LASTEXITCODE -ne 0) { $failures.Add("$($run[0]) failed (exit code $LASTEXITCODE)") }
        Write-Host ($text -split "`n" | Select-String 'total:|failed:|succeeded:' | Out-String).Trim()
    }
    foreach ($path in $PesterPath) {
        $text = & dotnet pwsh -NoProfile -File (Join-Path $root 'build.ps1') -Task Pester -TestPath (Join-Path $root $path) 2>&1 | Out-String
        [void] $output.AppendLine($text)
        if ($LASTEXITCODE -ne 0) { $failures.Add("$path failed (exit code $LASTEXITCODE)") }
        Write-Host ($text -split "`n" | Select-String 'Pester totals' | Out-String).Trim()
    }
} finally {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    $after = Get-DecoyState
    Remove-Item -Recurse -Force -LiteralPath $decoy -ErrorAction SilentlyContinue
}

# Every decoy is still there, byte for byte; and nothing new appeared outside the caches the test
# runners themselves keep in a home folder (pwsh's module cache, NuGet's and dotnet's state).
$toolCaches = '^/home/(\.cache|\.local/share|\.dotnet|\.nuget)/'
$changed = @(Compare-Object @($before) @($after) | Where-Object {
        $_.SideIndicator -eq '<=' -or ($_.InputObject.Substring(65) -replace '\\', '/') -notmatch $toolCaches
    } | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" })
if ($changed) { $failures.Add("Decoy files changed, vanished or appeared:`n" + ($changed -join "`n")) }
if ($output.ToString().Contains($secret)) { $failures.Add('A decoy secret appeared in the test output.') }
if ($failures.Count) { throw ($failures -join "`n") }
Write-Host "Decoy credentials untouched: $(@($before).Count) files byte-for-byte the same, $($variables.Count) variables set, no decoy secret in the output."
