# Helpers shared by the Pester files. Tokens are unsigned-by-our-key test JWTs: fine for offline
# reads; online checks use the emulator in the xUnit suite.

function New-TestDirectory {
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ('naraauth-pester-' + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

function ConvertTo-Base64Url([byte[]] $Bytes) {
    [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
}

function New-TestJwt {
    param([string] $Subject = 'user_1', [string] $Organization = 'org_1', [int] $LifetimeMinutes = 60)
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $header = '{"alg":"RS256","typ":"JWT"}'
    $payload = '{{"sub":"{0}","org":"{1}","role":"admin","iat":{2},"exp":{3}}}' -f $Subject, $Organization, $now, ($now + 60 * $LifetimeMinutes)
    $rsa = [System.Security.Cryptography.RSA]::Create()
    try {
        $input = (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes($header))) + '.' + (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes($payload)))
        $signature = $rsa.SignData([Text.Encoding]::ASCII.GetBytes($input), [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $input + '.' + (ConvertTo-Base64Url $signature)
    }
    finally { $rsa.Dispose() }
}
