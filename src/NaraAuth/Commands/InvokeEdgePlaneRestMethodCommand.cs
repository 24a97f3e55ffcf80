using System.Management.Automation;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>
/// An authenticated call to the EdgePlane API, as Invoke-NaraRestMethod is for the platform: the
/// credential is -Token, else EP_TOKEN, else the saved session, and goes only to the EdgePlane
/// base URL. Returns the JSON answer as PowerShell objects (arrays are enumerated). Idempotent
/// methods retry on 5xx, 429 and dropped connections; POST and PATCH are sent once unless
/// -RetryNonIdempotent.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EdgePlaneRestMethod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Invoke-EdgePlaneRestMethod.md")]
[OutputType(typeof(PSObject))]
public sealed class InvokeEdgePlaneRestMethodCommand : EdgePlaneCmdlet
{
    /// <summary>A path on EdgePlane, e.g. /api/projects (query string allowed).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The HTTP method (default GET).</summary>
    [Parameter]
    [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", IgnoreCase = true)]
    public string Method { get; set; } = "GET";

    /// <summary>The JSON body: a hashtable or object (serialized), or a string sent as it is.</summary>
    [Parameter(Position = 1)]
    public object? Body { get; set; }

    /// <summary>Retry POST/PATCH too after a lost answer; only for calls that are safe to repeat.</summary>
    [Parameter]
    public SwitchParameter RetryNonIdempotent { get; set; }

    /// <summary>The EdgePlane server (else EP_BASE_URL; for the saved session, the server that issued it).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    protected override string? BaseUrlArgument => BaseUrl;

    protected override void ProcessNaraRecord()
    {
        var path = RestPath.Validate(Path, "EdgePlane", "/api/projects", "-BaseUrl, EP_BASE_URL or the saved session");
        var method = RestMethodCall.MethodOf(Method);
        var body = RestMethodCall.BodyAsJson(Body);
        var api = Api;
        if (RestCall.ChangesState(method) && !ShouldProcess($"{EdgePlaneUrl.ToStored(api.Credential.BaseUrl)}{path}", method.Method)) return;

        var what = RestCall.Describe(method, path);
        var response = RunAsync(token => api.SendAsync(method, path, body, RetryNonIdempotent, what, token));
        WriteVerbose($"{what} answered HTTP {response.StatusCode}.");
        RestMethodCall.WriteResult(this, response);
    }
}
