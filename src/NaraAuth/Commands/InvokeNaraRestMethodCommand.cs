using System.Management.Automation;
using NaraAuth.Core.Http;
using NaraAuth.Core.Platform;
using NaraAuth.Infrastructure;

namespace NaraAuth.Commands;

/// <summary>
/// An authenticated call to the nara platform API. Returns the JSON answer as PowerShell objects
/// (arrays are enumerated). Idempotent methods retry on 5xx, 429 and dropped connections; POST and
/// PATCH are sent once unless -RetryNonIdempotent.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NaraRestMethod", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Invoke-NaraRestMethod.md")]
[OutputType(typeof(PSObject))]
public sealed class InvokeNaraRestMethodCommand : PlatformCmdlet
{
    /// <summary>A path on the platform, e.g. /api/agent/run (query string allowed).</summary>
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

    protected override void ProcessNaraRecord()
    {
        var path = RestPath.Validate(Path);
        var method = RestMethodCall.MethodOf(Method);
        var body = RestMethodCall.BodyAsJson(Body);
        var client = Client;
        if (RestCall.ChangesState(method) && !ShouldProcess($"{client.Api.BaseUrl.ToString().TrimEnd('/')}{path}", method.Method)) return;

        var what = RestCall.Describe(method, path);
        var response = Call((c, token) => c.SendAsync(method, path, body, RetryNonIdempotent, what, token));
        WriteVerbose($"{what} answered HTTP {response.StatusCode}.");
        RestMethodCall.WriteResult(this, response);
    }
}
