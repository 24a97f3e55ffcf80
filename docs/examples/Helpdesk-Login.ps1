<#
.SYNOPSIS
    The helpdesk login: connects this machine's Edge Connector through the browser and says who
    is logged in, for which organization, until when.

.DESCRIPTION
    Run it at the user's machine (or in a remote session to it) while talking to the user.
    Connect-EdgeConnector shows a code and a URL and opens the browser; the user (or you) checks
    the code on the page and presses Approve. The script then shows the result in plain words.

    When the machine is already logged in for long enough, nothing is changed (use -Force to log
    in again, for example to switch to another user). Denied, expired and timed-out logins end
    with a short explanation of what to do next instead of a stack of red text; any other error
    is passed on unchanged. No token is ever shown.

    Returns the connection object (Mode, Status Connected or AlreadyConnected, Organization,
    Subject, ExpiresOn, TokenPath) so a ticket script can record it; a failed login returns
    nothing and writes the module's error (after the friendly explanation).

.EXAMPLE
    .\Helpdesk-Login.ps1
    # To connect the Edge Connector, open https://app.nara.de/desktop/approve?code=ABCD-1234 ...
    # Logged in: jane.doe@acme.example (user_1) for Acme (org_1) until Mon 17:30 (local time, 8 h from now).

.EXAMPLE
    .\Helpdesk-Login.ps1 -InstallPath 'C:\Program Files\EdgeConnector' -Organization org_1 -Force -NoBrowser
    # Over the phone: read the code and URL to the user, who opens it on their own device.
#>
[CmdletBinding()]
param(
    # The Edge Connector installation (default: EDGE_CONNECTOR_HOME, else the current folder).
    [string] $InstallPath,

    # The organization the user must log in to (the login is refused for any other).
    [string] $Organization,

    # How long to wait for the approval, in seconds.
    [ValidateRange(30, 3600)]
    [int] $LoginTimeoutSec = 600,

    # Only show the URL and the code; do not open a browser on this machine.
    [switch] $NoBrowser,

    # Log in again even when a valid login is stored (switch user).
    [switch] $Force,

    # The platform (default: NARA_BASE_URL, else config.json, else https://app.nara.de).
    [string] $BaseUrl
)

# Shown to the person like Write-Host (information stream, tag PSHOST), never in the output.
function Show-Line([string] $Text) {
    $PSCmdlet.WriteInformation([System.Management.Automation.HostInformationMessage]@{ Message = $Text }, [string[]] @('PSHOST'))
}

$connect = @{ LoginTimeoutSec = $LoginTimeoutSec; ErrorAction = 'Stop' }
foreach ($name in 'InstallPath', 'Organization', 'BaseUrl', 'NoBrowser', 'Force') {
    if ($PSBoundParameters.ContainsKey($name)) { $connect[$name] = $PSBoundParameters[$name] }
}

try {
    $connection = Connect-EdgeConnector @connect
}
catch {
    $id = $_.FullyQualifiedErrorId
    $advice = switch -Wildcard ($id) {
        'LoginDenied*'      { 'The login was denied on the approval page. If that was a mistake, run the script again and press Approve.' }
        'LoginCodeExpired*' { 'The code expired before it was approved. Run the script again and approve within the time shown.' }
        'LoginTimedOut*'    { "Nobody approved within $LoginTimeoutSec seconds. Run the script again (or with a larger -LoginTimeoutSec)." }
        'BrowserLoginNotInteractive*' { 'This session cannot show a browser login. Use a token or deployment credentials (see Onboard-EdgeConnector.ps1).' }
        'OrganizationMismatch*' { "The user logged in to another organization than $Organization. Log in again with the right account." }
        default             { $null }
    }
    if (-not $advice) { throw }
    Show-Line "Not logged in. $advice"
    # Still an error for callers ($?, -ErrorAction, $Error), with the module's own id.
    $PSCmdlet.WriteError($_)
    return
}

$until = $connection.ExpiresOn.ToLocalTime()
$left = $connection.ExpiresOn - [datetimeoffset]::UtcNow
$who = if ($connection.Email) { "$($connection.Email) ($($connection.Subject))" } else { $connection.Subject }
$org = if ($connection.OrganizationName) { "$($connection.OrganizationName) ($($connection.Organization))" } else { $connection.Organization }
$state = if ($connection.Status -eq 'AlreadyConnected') { 'Already logged in' } else { 'Logged in' }
# The module's one time form (about_NaraAuth, TIMES): local time with its offset.
Show-Line ("{0}: {1} for {2} until {3} ({4:0.#} h from now)." -f $state, $who, $org, $until.ToString('yyyy-MM-dd HH:mm:ss zzz', [cultureinfo]::InvariantCulture), $left.TotalHours)
if (-not $connection.BundlePath) { Show-Line 'Note: the default bundle is not synced yet; the Edge Connector fetches it on start.' }
$connection
