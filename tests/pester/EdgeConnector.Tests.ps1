# Connect-EdgeConnector and Disconnect-EdgeConnector as an admin or the helpdesk uses them. The
# browser login (which needs a person at a console) is in Console.Tests.ps1, in a pseudo-terminal.

BeforeDiscovery {
    $script:onWindows = [System.Environment]::OSVersion.Platform -eq 'Win32NT'
    # Giving a file to another user needs root on Unix.
    $script:unixRoot = -not $onWindows -and (& id -u) -eq '0'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-NaraTest -Emulator
}
AfterAll { Complete-NaraTest }

Describe 'Connect-EdgeConnector' {
    BeforeEach { $script:dir = Use-Installation }

    It 'saves a JWT owner-only with the default bundle, shows the list view, and is idempotent' {
        $jwt = New-EmulatorToken
        $captured = Invoke-Captured { Connect-EdgeConnector -Token $jwt -Verbose }
        $c = Get-Single $captured.Output
        $c.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.EdgeConnectorConnection'
        $c.Status | Should -Be 'Connected'
        $c.Mode | Should -Be 'Token'
        $shown = $c | Format-Rendered
        foreach ($label in 'Mode', 'Status', 'Organization', 'Email', 'Subject', 'ExpiresOn', 'TokenPath', 'BundlePath', 'BaseUrl') { $shown | Should -Match "(?m)^$label\s+:" }
        $captured.Verbose | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeTrue
        Test-Path (Join-Path $dir 'default-bundle.json') | Should -BeTrue
        Assert-NoSecret $captured -Secret $jwt
        $again = Invoke-Captured { Connect-EdgeConnector -Token $jwt }
        (Get-Single $again.Output).Status | Should -Be 'AlreadyConnected'
        Assert-NoSecret $again -Secret $jwt
    }

    It 'takes the token from the pipeline, by value and by property name' {
        (New-EmulatorToken | Connect-EdgeConnector -SkipBundleSync).Status | Should -Be 'Connected'
        $other = Use-Installation
        ([pscustomobject]@{ Token = (New-EmulatorToken) } | Connect-EdgeConnector -SkipBundleSync).Status | Should -Be 'Connected'
        Test-Path (Join-Path $other 'auth-token.json') | Should -BeTrue
    }

    It 'verifies deployment credentials and writes no token file' {
        $secret = ConvertTo-SecureString 'sec_xyz789' -AsPlainText -Force
        $captured = Invoke-Captured { Connect-EdgeConnector -DeploymentId dep_abc123 -DeploymentSecret $secret -Verbose }
        (Get-Single $captured.Output).Status | Should -Be 'Verified'
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeFalse
        Assert-NoSecret $captured -Secret 'sec_xyz789'
    }

    It 'writes nothing under -WhatIf' {
        Connect-EdgeConnector -Token (New-EmulatorToken) -WhatIf | Out-Null
        @(Get-ChildItem $dir) | Should -BeNullOrEmpty
    }

    It 'fails with <Id> (<Category>) for <Case> and keeps the old token byte for byte' -ForEach @(
        @{ Case = 'an expired JWT'; Id = 'TokenExpired'; Category = 'AuthenticationError'; Arguments = { @{ Token = (New-EmulatorToken -TtlSeconds -600); Force = $true } } }
        @{ Case = 'an organization without the Edge Connector'; Id = 'OrganizationNotEnabled'; Category = 'PermissionDenied'; Arguments = { @{ Token = (New-EmulatorToken -Org 'org_2'); Force = $true } } }
        @{ Case = 'http:// to a host that is not loopback'; Id = 'InsecureBaseUrl'; Category = 'SecurityError'; Arguments = { @{ Token = (New-EmulatorToken); BaseUrl = 'http://nara.example.com'; Force = $true } } }
        @{ Case = 'a token file that is missing'; Id = 'TokenFileNotFound'; Category = 'ObjectNotFound'; Arguments = { @{ Token = (Join-Path $dir 'absent.json'); Force = $true } } }
        @{ Case = 'a token of another organization than -Organization'; Id = 'OrganizationMismatch'; Category = 'InvalidArgument'; Arguments = { @{ Token = (New-EmulatorToken); Organization = 'org_2'; Force = $true } } }
        @{ Case = 'a wrong deployment secret'; Id = 'DeploymentCredentialsRejected'; Category = 'AuthenticationError'; Arguments = { @{ DeploymentId = 'dep_abc123'; DeploymentSecret = (ConvertTo-SecureString 'wrong-secret' -AsPlainText -Force) } } }
    ) {
        Connect-EdgeConnector -Token (New-EmulatorToken) -SkipBundleSync | Out-Null
        $before = [System.IO.File]::ReadAllBytes((Join-Path $dir 'auth-token.json'))
        $arguments = & $Arguments
        $captured = Invoke-Captured { Connect-EdgeConnector @arguments }
        $err = Get-Single $captured.Errors
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -Be $Category
        [System.IO.File]::ReadAllBytes((Join-Path $dir 'auth-token.json')) | Should -Be $before
        Assert-NoSecret $captured -Secret 'wrong-secret'
    }

    It 'fails at once under <Variable> with a message naming the headless modes' -ForEach @(
        @{ Variable = 'TF_BUILD' }, @{ Variable = 'GITHUB_ACTIONS' }
    ) {
        $err = Use-CiVariable $Variable { Get-ErrorFromScript { Connect-EdgeConnector -ErrorAction Stop } }
        $err.FullyQualifiedErrorId | Should -BeLike 'BrowserLoginNotInteractive,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.ToString() | Should -Match '-Token'
    }

    # What only Windows can prove: the ACL the store builds is really applied, and nothing inherits.
    It 'gives the token file an owner-only, non-inherited ACL on Windows' -Skip:(-not $onWindows) {
        Connect-EdgeConnector -Token (New-EmulatorToken) | Out-Null
        $me = [System.Security.Principal.WindowsIdentity]::GetCurrent().User.Value
        foreach ($file in 'auth-token.json', 'default-bundle.json') {
            $acl = Get-Acl (Join-Path $dir $file)
            $acl.AreAccessRulesProtected | Should -BeTrue
            $rules = @($acl.Access)
            $rules.Count | Should -Be 1
            $rules[0].IsInherited | Should -BeFalse
            $rules[0].IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value | Should -Be $me
        }
    }

    # What only Windows can prove: the runtime account's descriptor is really applied, nothing inherits.
    It 'gives the files written for -RuntimeAccount a protected ACL of that account on Windows' -Skip:(-not $onWindows) {
        $install = Join-Path $dir 'for-service'
        $service = 'S-1-5-19' # NT AUTHORITY\LOCAL SERVICE, present on every Windows
        $me = [System.Security.Principal.WindowsIdentity]::GetCurrent().User.Value
        (Connect-EdgeConnector -Token (New-EmulatorToken) -InstallPath $install -RuntimeAccount 'NT AUTHORITY\LOCAL SERVICE' -AllowAdministrators).Status | Should -Be 'Connected'
        foreach ($file in 'auth-token.json', 'default-bundle.json') {
            $acl = Get-Acl (Join-Path $install $file)
            $acl.AreAccessRulesProtected | Should -BeTrue
            $rules = @($acl.Access)
            $rules | ForEach-Object { $_.IsInherited | Should -BeFalse; $_.FileSystemRights | Should -Be 'FullControl' }
            @($rules | ForEach-Object { $_.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value } | Sort-Object) |
                Should -Be @($service, 'S-1-5-32-544')
            # The runtime account owns it where the writer may hand ownership over; else the writer does.
            $acl.GetOwner([System.Security.Principal.SecurityIdentifier]).Value | Should -BeIn @($service, $me, 'S-1-5-32-544')
        }
        (Get-Acl $install).AreAccessRulesProtected | Should -BeTrue
        $info = Get-AuthToken -InstallPath $install -RuntimeAccount 'NT AUTHORITY\LOCAL SERVICE'
        $info.Owner | Should -Not -BeNullOrEmpty
    }

    It 'gives the files written for -RuntimeAccount to that user, 0600 in 0700, on Unix as root' -Skip:(-not $unixRoot) {
        $install = Join-Path $dir 'for-nobody'
        (Connect-EdgeConnector -Token (New-EmulatorToken) -InstallPath $install -RuntimeAccount nobody).Status | Should -Be 'Connected'
        foreach ($file in 'auth-token.json', 'default-bundle.json') { & stat -c '%U %a' (Join-Path $install $file) | Should -Be 'nobody 600' }
        & stat -c '%U %a' $install | Should -Be 'nobody 700'
        $info = Get-AuthToken -InstallPath $install -RuntimeAccount nobody
        $info.Owner | Should -Be 'nobody'
        $info.OwnerMatchesRuntimeAccount | Should -BeTrue
    }

    It 'writes the token file 0600 in a 0700 folder on Unix' -Skip:$onWindows {
        $install = Join-Path $dir 'fresh'
        Connect-EdgeConnector -Token (New-EmulatorToken) -InstallPath $install | Out-Null
        [System.IO.File]::GetUnixFileMode((Join-Path $install 'auth-token.json')) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        [System.IO.File]::GetUnixFileMode($install) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    }
}

Describe 'Disconnect-EdgeConnector' {
    BeforeEach { $script:jwt = Connect-TestLogin; $script:dir = $env:EDGE_CONNECTOR_HOME }

    It 'removes nothing under -WhatIf, then the token with -PassThru showing what went' {
        Disconnect-EdgeConnector -WhatIf | Should -BeNullOrEmpty
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeTrue
        $captured = Invoke-Captured { Disconnect-EdgeConnector -PassThru -Confirm:$false -Verbose }
        $d = Get-Single $captured.Output
        $d.PSObject.TypeNames[0] | Should -Be 'NaraAuth.Models.EdgeConnectorDisconnection'
        $d.TokenRemoved | Should -BeTrue
        $shown = $d | Format-Rendered
        foreach ($label in 'Status', 'TokenPath', 'TokenRemoved', 'BundlePath', 'BundleRemoved') { $shown | Should -Match "(?m)^$label\s+:" }
        Test-Path (Join-Path $dir 'auth-token.json') | Should -BeFalse
        Assert-NoSecret $captured -Secret $jwt
    }

    It 'is idempotent and takes the installation from the pipeline by property name' {
        Disconnect-EdgeConnector -Confirm:$false
        $again = [pscustomobject]@{ InstallPath = $dir } | Disconnect-EdgeConnector -PassThru -Confirm:$false
        $again.TokenRemoved | Should -BeFalse
    }
}
