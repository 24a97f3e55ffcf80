# The NaraAuth main job against the local emulator, as the three kinds of users run it.
# The demo host sets NARA_BASE_URL (the emulator, which approves browser logins by itself) and
# EDGE_CONNECTOR_HOME (a temporary installation directory). Each step is sent to Out-Default on
# its own so every result gets its own format view.

"== Helpdesk: browser login (the emulator approves it; a person would click Approve)"
Connect-EdgeConnector -NoBrowser | Out-Default

"== Who is logged in, for which organization, until when (signature verified against the platform)"
Get-AuthToken -Verify | Out-Default

"== EdgePlane CLI login for the same person (the emulator completes the identity provider's login)"
$env:EP_BASE_URL = $env:NARA_BASE_URL
Invoke-OidcCliLogin -NoBrowser | Out-Default
Get-EdgePlaneIdentity | Out-Default

"== Onboarding script, second run: nothing to do"
Connect-EdgeConnector -NoBrowser | Out-Default

"== Admin: a server token for a CI pipeline (the secret is shown once, as a SecureString)"
$serverToken = New-ServerToken -Name 'CI Pipeline'
$serverToken | Out-Default

"== Pipeline: list the functional agents and run one with the server token"
Get-NaraAgent -Token $serverToken.Token | Out-Default
Get-NaraAgent -Token $serverToken.Token -Name 'summarizeTicket' | Start-NaraAgentRun -Token $serverToken.Token -Arguments @{ ticketNumber = '1234' } | Out-Default

"== Security review: revoke server tokens that were never used"
$null = New-ServerToken -Name 'Old build agent'
Get-ServerToken | Out-Default
Get-ServerToken | Where-Object { -not $_.LastUsedAt } | Revoke-ServerToken -Confirm:$false -Verbose
Get-ServerToken | Out-Default

"== Edge Server API key: generate one for a client, then check a key against its hash"
$key = New-ApiKey -Id 'demo-client'
$key | Out-Default
$key | Test-ApiKey | Out-Default
