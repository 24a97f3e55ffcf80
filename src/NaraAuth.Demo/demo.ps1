# The NaraAuth main job against the local emulator. $DemoState and $NaraBaseUrl come from the
# demo host; NARA_BASE_URL and EDGE_CONNECTOR_HOME point at the emulator and a temp install dir.

"== Store a token for the Edge Connector, as an onboarding script would"
$jwt = $DemoState.MintToken('helpdesk_ada', 'org_1', 'admin')
$path = [System.IO.Path]::Combine($env:EDGE_CONNECTOR_HOME, 'auth-token.json')
[System.IO.File]::WriteAllText($path, ('{{"token": "{0}", "savedAt": "{1:yyyy-MM-ddTHH:mm:ss.fffZ}"}}' -f $jwt, [DateTime]::UtcNow))
if (-not $IsWindows) { [System.IO.File]::SetUnixFileMode($path, [System.IO.UnixFileMode]"UserRead, UserWrite") }

"== Who is logged in, for which organization, until when (signature verified against the platform)"
Get-AuthToken -Verify
