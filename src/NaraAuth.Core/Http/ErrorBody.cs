using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace NaraAuth.Core.Http;

/// <summary>Reads the protocol's error bodies: {"error","error_description"} or {"detail"}.</summary>
public static class ErrorBody
{
    public static string? Reason(string? body) =>
        FirstField(body, "error_description", "detail", "error");

    public static string? Code(string? body) => FirstField(body, "error");

    /// <summary>The first of the named string fields present in a JSON body (parsed once).</summary>
    private static string? FirstField(string? body, params string[] names)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var document = JsonDocument.Parse(body!);
            foreach (var name in names)
            {
                var text = Json.JsonText.StringOf(document.RootElement, name);
                if (string.IsNullOrWhiteSpace(text)) continue;
                // Quoted through ApiResponse.Quote, which caps and cleans it.
                return text;
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
