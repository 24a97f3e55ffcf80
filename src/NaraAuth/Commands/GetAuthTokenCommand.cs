using System;
using System.Management.Automation;
using NaraAuth.Core.Config;
using NaraAuth.Core.Http;
using NaraAuth.Core.Tokens;
using NaraAuth.Infrastructure;
using NaraAuth.Models;

namespace NaraAuth.Commands;

/// <summary>Reads the stored credential and reports its claims, expiry and where it came from.</summary>
[Cmdlet(VerbsCommon.Get, "AuthToken", DefaultParameterSetName = EdgeConnectorSet, SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Get-AuthToken.md")]
[OutputType(typeof(AuthTokenInfo), typeof(AuthTokenPlainTextInfo), ParameterSetName = new[] { EdgeConnectorSet })]
[OutputType(typeof(EdgePlaneSessionInfo), typeof(EdgePlaneSessionPlainTextInfo), ParameterSetName = new[] { EdgePlaneSet })]
public sealed partial class GetAuthTokenCommand : NaraCmdlet
{
    private const string EdgeConnectorSet = "EdgeConnector";

    /// <summary>An explicit token file; wins over every other rule.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("TokenPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The Edge Connector installation directory (else EDGE_CONNECTOR_HOME, else the current directory).</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [ValidateNotNullOrEmpty]
    public string? InstallPath { get; set; }

    /// <summary>Return the same object with the token as a string instead of a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>Return an expired token's details instead of failing.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [Parameter(ParameterSetName = EdgePlaneSet)]
    public SwitchParameter AllowExpired { get; set; }

    /// <summary>Warn when the token expires within this time (default 10 minutes).</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [Parameter(ParameterSetName = EdgePlaneSet)]
    public TimeSpan WarningWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Also verify the signature and organization against the platform.</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    public SwitchParameter Verify { get; set; }

    /// <summary>The platform for -Verify (else NARA_BASE_URL, else config.json, else https://app.nara.de).</summary>
    [Parameter(ParameterSetName = EdgeConnectorSet)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    protected override void ProcessNaraRecord()
    {
        if (ParameterSetName == WorkerSet) { ProcessWorkerToken(); return; }
        if (ParameterSetName == EdgePlaneSet) { WriteEdgePlaneSession(); return; }
        var location = TokenLocation.Resolve(Context.Environment, Path, InstallPath, Context.CurrentDirectory);
        WorkingOn = location.Path;
        WriteVerbose($"Reading the token from '{location.Path}' (chosen by {location.Source}).");
        var options = new TokenValidationOptions { AllowExpired = AllowExpired.IsPresent };
        var stored = StoredToken.Read(location, Context.Store, Context.Validator, options);
        if (stored.PermissionWarning != null) WriteWarning(stored.PermissionWarning);

        var signatureVerified = false;
        string? organizationName = stored.Jwt.OrganizationName;
        if (Verify)
        {
            var platform = new ApiClient(PlatformUrl.Resolve(BaseUrl, Context.Environment, location.Config));
            WriteVerbose($"Verifying the token against {platform.BaseUrl}.");
            var result = RunAsync(token => Context.Validator.ValidateAsync(stored.Jwt.Raw, options, platform, token));
            signatureVerified = result.SignatureVerified;
            organizationName = result.OrganizationName;
            if (!result.SignatureVerified) WriteWarning($"{platform.BaseUrl} publishes no signing keys, so the signature was not checked.");
        }

        var now = Context.Clock.UtcNow;
        var jwt = stored.Jwt;
        var expiresIn = jwt.ExpiresAt - now;
        if (jwt.IsExpired(now, TimeSpan.Zero))
            WriteWarning($"The token in '{location.Path}' has expired. Log in again with Connect-EdgeConnector.");
        else if (expiresIn <= WarningWindow)
            WriteWarning($"The token in '{location.Path}' expires in {Math.Max(0, (int)expiresIn.Value.TotalMinutes)} minute(s), at {jwt.ExpiresAt:u}. Log in again with Connect-EdgeConnector.");

        AuthTokenInfoBase info;
        if (AsPlainText)
        {
            MaskSecretForCi(jwt.Raw);
            info = new AuthTokenPlainTextInfo { Token = jwt.Raw };
        }
        else
        {
            info = new AuthTokenInfo { Token = SecretText.ToSecureString(jwt.Raw) };
        }
        info.Path = location.Path;
        info.Source = ModelEnum.From<TokenFileSource>(location.Source);
        info.Subject = jwt.Subject;
        info.Email = jwt.Email;
        info.Organization = jwt.Organization;
        info.OrganizationName = organizationName;
        info.Role = jwt.Role;
        info.Issuer = jwt.Issuer;
        info.IssuedOn = jwt.IssuedAt?.ToUniversalTime();
        info.ExpiresOn = jwt.ExpiresAt?.ToUniversalTime();
        info.ExpiresIn = expiresIn;
        info.IsExpired = jwt.IsExpired(now, TimeSpan.Zero);
        info.SavedAt = stored.File.SavedAt?.ToUniversalTime();
        info.SignatureVerified = signatureVerified;
        WriteObject(info);
    }
}
