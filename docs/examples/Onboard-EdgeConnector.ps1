<#
.SYNOPSIS
    Onboards the Edge Connector on many installations, without prompts, and safe to run again.

.DESCRIPTION
    For each installation (one per machine: a local path, a mounted share or a UNC path) this
    script makes sure the Edge Connector has a working credential:

      * Token installations ("Token" set: a token file handed over by the platform, or a raw JWT):
        the stored token is checked first (Get-AuthToken -Verify); when it is valid for the
        organization for longer than -MinimumValidity, nothing is done. Otherwise the given token
        is validated and saved with its default bundle (Connect-EdgeConnector -Token).
      * Server installations ("DeploymentId" set): deployment credentials, verified with the
        platform's WebSocket handshake and saved owner-only to the installation's credentials
        file for the runtime to use. An existing credentials file for the same deployment that
        still verifies is left as it is. The secret comes from a secure source: the
        DeploymentSecret property (a SecureString) or -DeploymentSecretProvider (by default the
        SecretManagement vault 'NaraOnboarding', secret 'nara-deployment-<id>').

    Nothing is interactive: an installation with neither a token nor a deployment is reported as
    Failed (a browser login needs a person; use Helpdesk-Login.ps1 there). One failing machine
    never stops the others. -WhatIf passes through to every cmdlet: it reports what would be
    written and writes nothing. No secret is ever printed.

    Output: one summary object per installation (Machine, InstallPath, Mode, Status,
    Organization, ExpiresOn, Detail, ErrorId). Status is one of AlreadyConnected, Connected,
    AlreadyVerified, Verified, WhatIf or Failed.

.EXAMPLE
    # machines.csv: Machine,InstallPath,Token,DeploymentId,CredentialsPath
    Import-Csv .\machines.csv | .\Onboard-EdgeConnector.ps1 -Organization org_1 | Format-Table

.EXAMPLE
    $installations = @(
        [pscustomobject]@{ Machine = 'kiosk-01'; InstallPath = '\\kiosk-01\c$\EdgeConnector'; Token = '\\fs\handover\kiosk-01.json' }
        [pscustomobject]@{ Machine = 'srv-db-02'; InstallPath = '/mnt/srv-db-02/edge-connector'; DeploymentId = 'dep_abc123' }
    )
    $installations | .\Onboard-EdgeConnector.ps1 -BaseUrl https://app.nara.de -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # A name for the report (defaults to the installation folder's name).
    [Parameter(ValueFromPipelineByPropertyName)]
    [Alias('ComputerName', 'Name')]
    [string] $Machine,

    # The Edge Connector installation directory (holds config.json, auth-token.json, default-bundle.json).
    [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
    [string] $InstallPath,

    # A token file handed over by the platform, or a raw JWT.
    [Parameter(ValueFromPipelineByPropertyName)]
    [string] $Token,

    # The deployment of a server installation.
    [Parameter(ValueFromPipelineByPropertyName)]
    [string] $DeploymentId,

    # The deployment secret; when it is missing, -DeploymentSecretProvider is asked.
    [Parameter(ValueFromPipelineByPropertyName)]
    [securestring] $DeploymentSecret,

    # Where the runtime reads the deployment credentials (default: deployment.json in the installation).
    [Parameter(ValueFromPipelineByPropertyName)]
    [string] $CredentialsPath,

    # The organization every installation must belong to.
    [string] $Organization,

    # The platform (default: NARA_BASE_URL, else the installation's config.json, else https://app.nara.de).
    [string] $BaseUrl,

    # A stored token with less validity left than this is replaced. One hour, as for
    # Connect-EdgeConnector itself: the platform's (and the emulator's) tokens last 8 hours, so a
    # longer default would replace every token on every run and the script would never be idle.
    [timespan] $MinimumValidity = [timespan]::FromHours(1),

    # Returns the deployment secret (SecureString) for a deployment id. The default reads the
    # SecretManagement vault 'NaraOnboarding' (Microsoft.PowerShell.SecretManagement and a vault
    # extension such as Microsoft.PowerShell.SecretStore must be installed and the vault registered).
    [scriptblock] $DeploymentSecretProvider = {
        param($DeploymentId)
        Get-Secret -Vault NaraOnboarding -Name "nara-deployment-$DeploymentId"
    }
)

begin {
    $ErrorActionPreference = 'Stop'
    $common = @{ Confirm = $false }
    if ($BaseUrl) { $common.BaseUrl = $BaseUrl }

    # $machineName and $installDir are the current installation's (set in process).
    function New-Summary($Status, $Mode, $Organization, $ExpiresOn, $Detail, $ErrorId) {
        [pscustomobject]@{
            PSTypeName   = 'NaraAuth.Examples.OnboardingResult'
            Machine      = $machineName
            InstallPath  = $installDir
            Mode         = [string]$Mode
            # The report's own words (it adds Failed, AlreadyVerified...), so always text.
            Status       = [string]$Status
            Organization = $Organization
            ExpiresOn    = $ExpiresOn
            Detail       = $Detail
            ErrorId      = $ErrorId
        }
    }

    # An error with its own id, like the module's (the report's ErrorId column).
    function New-OnboardingError([string] $Id, [string] $Message) {
        [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($Message), $Id, 'InvalidArgument', $installDir)
    }

    # The stored token, when it is valid for the organization for long enough; else $null.
    function Get-ReusableToken {
        try {
            $stored = Get-AuthToken -InstallPath $installDir -Verify -WarningAction SilentlyContinue -WhatIf:$false @baseUrlOnly
        }
        catch {
            $PSCmdlet.WriteVerbose("$($machineName): no usable stored token ($($_.FullyQualifiedErrorId)).")
            return $null
        }
        if ($Organization -and $stored.Organization -ne $Organization) { return $null }
        if (-not $stored.ExpiresOn -or $stored.ExpiresOn -lt [datetimeoffset]::UtcNow.Add($MinimumValidity)) { return $null }
        $stored
    }

    # Runs a block with DEPLOYMENT_CREDENTIALS_PATH pointing to a file (and no credential pair in
    # the environment), the way the runtime will read it; restores the environment afterwards.
    function Invoke-WithCredentialsFile([string] $Path, [scriptblock] $Action) {
        $saved = @{}
        foreach ($name in 'DEPLOYMENT_ID', 'DEPLOYMENT_SECRET', 'DEPLOYMENT_CREDENTIALS_PATH') {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        try {
            [Environment]::SetEnvironmentVariable('DEPLOYMENT_CREDENTIALS_PATH', $Path)
            & $Action
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    $baseUrlOnly = @{}
    if ($BaseUrl) { $baseUrlOnly.BaseUrl = $BaseUrl }
}

process {
    $installDir = [System.IO.Path]::GetFullPath($InstallPath)
    $machineName = if ($Machine) { $Machine } else { [System.IO.Path]::GetFileName($installDir.TrimEnd('\', '/')) }

    try {
        if ($DeploymentId) {
            $file = if ($CredentialsPath) { [System.IO.Path]::GetFullPath($CredentialsPath) } else { [System.IO.Path]::Combine($installDir, 'deployment.json') }

            if ([System.IO.File]::Exists($file)) {
                # Already onboarded? Verify the saved file as the runtime will use it; writes nothing.
                $existing = $null
                try {
                    $existing = Invoke-WithCredentialsFile $file { Connect-EdgeConnector -Deployment -InstallPath $installDir @common }
                }
                catch {
                    $PSCmdlet.WriteVerbose("$($machineName): the saved credentials do not verify ($($_.FullyQualifiedErrorId)); replacing them.")
                }
                if ($existing -and $existing.DeploymentId -eq $DeploymentId) {
                    return New-Summary 'AlreadyVerified' 'Deployment' $null $null "Credentials in '$file' verified; nothing changed."
                }
            }

            $secret = $DeploymentSecret
            if (-not $secret) {
                # Said plainly instead of "Get-Secret is not recognized": what to install, or what to pass.
                if (-not $PSBoundParameters.ContainsKey('DeploymentSecretProvider') -and -not (Get-Command Get-Secret -ErrorAction SilentlyContinue)) {
                    throw (New-OnboardingError 'SecretManagementMissing' ("No DeploymentSecret was given for deployment '$DeploymentId', and the default secret source needs " +
                        "Microsoft.PowerShell.SecretManagement, which is not installed. Install it with a vault (Install-PSResource Microsoft.PowerShell.SecretManagement, " +
                        "Microsoft.PowerShell.SecretStore; Register-SecretVault NaraOnboarding -ModuleName Microsoft.PowerShell.SecretStore; " +
                        "Set-Secret -Vault NaraOnboarding -Name nara-deployment-$DeploymentId), or pass DeploymentSecret per machine or -DeploymentSecretProvider."))
                }
                $secret = & $DeploymentSecretProvider $DeploymentId
            }
            if ($secret -isnot [securestring]) {
                throw (New-OnboardingError 'DeploymentSecretUnavailable' "The secret source returned no SecureString for deployment '$DeploymentId'.")
            }
            $result = Connect-EdgeConnector -DeploymentId $DeploymentId -DeploymentSecret $secret -SaveCredentialsTo $file -InstallPath $installDir @common
            if (-not $result) { return New-Summary 'WhatIf' 'Deployment' $null $null "Would verify deployment '$DeploymentId' and save its credentials to '$file'." }
            return New-Summary 'Verified' 'Deployment' $null $null "Saved to '$($result.CredentialsPath)'."
        }

        $stored = Get-ReusableToken
        if ($stored) {
            return New-Summary 'AlreadyConnected' 'Token' $stored.Organization $stored.ExpiresOn "Stored token in '$($stored.Path)' is valid; nothing changed."
        }
        if (-not $Token) {
            throw (New-OnboardingError 'NoCredentialForMachine' 'No valid stored token and no -Token for this installation; a browser login needs a person (Helpdesk-Login.ps1).')
        }

        $connect = @{ Token = $Token; InstallPath = $installDir; MinimumValidity = $MinimumValidity }
        if ($Organization) { $connect.Organization = $Organization }
        $result = Connect-EdgeConnector @connect @common
        if (-not $result) { return New-Summary 'WhatIf' 'Token' $null $null 'Would validate the token and save it with the default bundle.' }
        New-Summary $result.Status 'Token' $result.Organization $result.ExpiresOn "Token in '$($result.TokenPath)'."
    }
    catch {
        # The module's messages never contain a secret, so they are safe in the report.
        $PSCmdlet.WriteWarning("$($machineName): $($_.Exception.Message)")
        New-Summary 'Failed' $(if ($DeploymentId) { 'Deployment' } else { 'Token' }) $null $null $_.Exception.Message $_.FullyQualifiedErrorId
    }
}
