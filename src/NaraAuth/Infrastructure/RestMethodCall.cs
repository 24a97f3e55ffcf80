using System.Management.Automation;
using System.Net.Http;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;

namespace NaraAuth.Infrastructure;

/// <summary>
/// What Invoke-NaraRestMethod and Invoke-EdgePlaneRestMethod share on the PowerShell side: the
/// -Body as JSON, the -Method, and the answer written as PowerShell objects (arrays enumerated).
/// </summary>
internal static class RestMethodCall
{
    public static HttpMethod MethodOf(string method) => new(method.ToUpperInvariant());

    /// <summary>A hashtable or object is serialized; a string is sent as it is.</summary>
    public static string? BodyAsJson(object? body)
    {
        var value = body is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : body;
        return value switch
        {
            null => null,
            string text => text,
            _ => PlainJson.Serialize(JsonBridge.FromPowerShell(value)),
        };
    }

    /// <summary>Writes the redacted JSON answer; an empty body writes nothing.</summary>
    public static void WriteResult(Cmdlet cmdlet, ApiResponse response)
    {
        var result = JsonBridge.ToPowerShell(RestCall.ParseBody(response));
        if (result == null) return;
        cmdlet.WriteObject(result, enumerateCollection: result is object[]);
    }
}
