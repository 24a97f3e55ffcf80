@{
    RootModule           = 'NaraAuth.dll'
    ModuleVersion        = '0.2.0'
    GUID                 = 'edb5de2c-160f-4176-8960-28b3c322b0b1'
    Author               = 'NaraAuth contributors'
    CompanyName          = 'NaraAuth'
    Copyright            = '(c) 2026 NaraAuth contributors. MIT License.'
    Description          = 'Authenticate people and machines against the nara platform, EdgePlane and their neighbours; keep credentials safe on disk (owner-only, atomic); make authenticated API calls. Fast to import, never prints a secret.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @(
        'NaraAuth.Tokens.format.ps1xml'
        'NaraAuth.ServerTokens.format.ps1xml'
        'NaraAuth.EdgeConnector.format.ps1xml'
        'NaraAuth.ApiKeys.format.ps1xml'
        'NaraAuth.Worker.format.ps1xml'
        'NaraAuth.EdgePlane.format.ps1xml'
        'NaraAuth.Status.format.ps1xml'
    )
    CmdletsToExport      = @(
        'Get-AuthToken'
        'New-ServerToken'
        'Get-ServerToken'
        'Revoke-ServerToken'
        'Reset-ServerToken'
        'Invoke-NaraRestMethod'
        'Get-NaraAgent'
        'Start-NaraAgentRun'
        'Connect-EdgeConnector'
        'Disconnect-EdgeConnector'
        'New-ApiKey'
        'Test-ApiKey'
        'Reset-WorkerToken'
        'Invoke-OidcCliLogin'
        'Get-EdgePlaneIdentity'
        'Invoke-EdgePlaneRestMethod'
        'Disconnect-EdgePlane'
        'Get-OidcSession'
        'Disconnect-OidcSession'
        'Get-NaraAuthStatus'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('nara', 'EdgePlane', 'authentication', 'OIDC', 'JWT', 'token', 'DevOps', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/naraauth/NaraAuth/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/naraauth/NaraAuth'
            ReleaseNotes = 'See https://github.com/naraauth/NaraAuth/blob/main/docs/CHANGELOG.md'
        }
    }
}
