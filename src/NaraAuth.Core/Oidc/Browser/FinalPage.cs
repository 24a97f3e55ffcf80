using System.Net;

namespace NaraAuth.Core.Oidc.Browser;

/// <summary>
/// The pages the loopback listener shows in the browser. Written only after PowerShell has
/// decided, so they say what really happened: who is logged in to which application, or why the
/// answer was refused. They never contain a code, a token or the query that came back.
/// </summary>
public static class FinalPage
{
    public const string SuccessTitle = "You are logged in";

    public static string Success(string account, string application, string issuer) => Render(SuccessTitle, true,
        $"<p>Logged in as <strong id=\"account\">{Html(account)}</strong> to the application <strong id=\"application\">{Html(application)}</strong>.</p>"
        + $"<p class=\"small\">Identity provider: {Html(issuer)}</p><p>You can close this window and return to PowerShell.</p>");

    public static string Failure(string headline, string reason) => Render(headline, false,
        $"<p id=\"reason\">{Html(reason)}</p><p>Nothing was saved. Return to PowerShell for details and what to do next.</p>");

    /// <summary>For a request that is not the provider's answer (a reload, a prefetch, a scan).</summary>
    public static string NotAnAnswer() => Render("Nothing to do here", false,
        "<p>This address only receives the identity provider's answer to a login started in PowerShell.</p>");

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private static string Render(string title, bool ok, string body) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + $"<title>{Html(title)} - NaraAuth</title><style>"
        + "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;background:#f4f5f7;color:#1f2328;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}"
        + "main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem 2.5rem;max-width:34rem}"
        + "h1{font-size:1.4rem;margin:0 0 1rem}.ok h1{color:#1a7f37}.fail h1{color:#cf222e}.small{color:#59636e;font-size:.9rem}"
        + $"</style></head><body><main class=\"{(ok ? "ok" : "fail")}\"><h1 id=\"title\">{(ok ? "&#10004; " : "&#10006; ")}{Html(title)}</h1>{body}</main></body></html>";
}
