using System;
using System.Management.Automation;
using NaraAuth.ApiKeys;
using NaraAuth.Core.Http;
using NaraAuth.Infrastructure;
using NaraAuth.Mapping;
using NaraAuth.Models;
using NaraAuth.Core.Status;

namespace NaraAuth.Commands;

/// <summary>
/// Checks an Edge Server API key against its secure hash (offline), or a key or token live
/// against an endpoint, and says precisely why it fails.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ApiKey", DefaultParameterSetName = HashSet, HelpUri = HelpLinks.Base + "Test-ApiKey.md")]
[OutputType(typeof(ApiKeyTestResult), ParameterSetName = new[] { HashSet })]
[OutputType(typeof(ApiKeyLiveCheckResult), ParameterSetName = new[] { LiveSet })]
[OutputType(typeof(bool))]
public sealed class TestApiKeyCommand : NetworkSettingsCmdlet
{
    private const string HashSet = "Hash";
    private const string LiveSet = "Live";

    /// <summary>The private key (or, with -Uri, any bearer token): SecureString or string.</summary>
    [Parameter(ParameterSetName = HashSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = LiveSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Token", "Key")]
    [AllowEmptyString]
    public object ApiKey { get; set; } = null!;

    /// <summary>The secure public hash from the server's configuration.</summary>
    [Parameter(ParameterSetName = HashSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Hash { get; set; } = null!;

    /// <summary>An endpoint that requires the key; the check sends "Authorization: Bearer".</summary>
    [Parameter(ParameterSetName = LiveSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Uri { get; set; } = null!;

    /// <summary>The public health endpoint (default: "health" beside the endpoint, then in each parent folder).</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateNotNullOrEmpty]
    public string? HealthUri { get; set; }

    /// <summary>An explicit proxy for the requests of the live check.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateNotNull]
    public override Uri? Proxy { get; set; }

    /// <summary>The account for -Proxy; sent only to the proxy, never to the server.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [Credential]
    [ValidateNotNull]
    public override PSCredential? ProxyCredential { get; set; }

    /// <summary>How long one request of the live check may take, in seconds.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(1, 86400)]
    public override int TimeoutSec { get; set; }


    /// <summary>Return only $true or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessNaraRecord()
    {
        var key = SecretText.FromParameter(ApiKey) ?? string.Empty;
        if (ParameterSetName == LiveSet) CheckLive(key);
        else CheckHash(key);
    }

    private void CheckHash(string key)
    {
        // Waited like a network call, so Ctrl+C ends it within a second even at the policy's limit.
        var verification = RunAsync(token => ApiKeyVerifier.VerifyAsync(key, Hash, null, token));
        WriteVerbose($"Checked the key against the hash: {verification.Status}" +
            (verification.Parameters != null ? $" (scrypt {verification.Parameters})." : "."));
        if (Quiet) WriteObject(verification.IsValid);
        else WriteObject(ModelMapping.ToResult(verification));
    }

    private void CheckLive(string key)
    {
        WriteVerbose($"Calling {SafeUri.WithoutQuery(Uri)} with the credential as a bearer token.");
        var probe = RunAsync(token => CredentialProbe.CheckAsync(Uri, key, HealthUri, token, Reporter));
        WriteVerbose(probe.Message);
        if (Quiet)
        {
            WriteObject(probe.Outcome == CredentialProbeOutcome.Accepted);
            return;
        }
        WriteObject(ModelMapping.ToResult(probe));
    }
}
