using System.Net;
using System.Text.RegularExpressions;

namespace NaraAuth.TestSupport.EdgePlane;

/// <summary>Plays the person in the browser: opens EdgePlane's login page, logs in, reads the grant id off the success page.</summary>
public static partial class BrowserDouble
{
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false });

    public static async Task<string> LogInAsync(string authorizeUrl, string subject = "ada", string email = "ada@example.com")
    {
        var page = await Http.GetStringAsync(authorizeUrl);
        var nonce = NonceField().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), "The login page has no cli_nonce field: " + page);
        var target = new Uri(new Uri(authorizeUrl), "/auth/oidc/cli-login");
        using var response = await Http.PostAsync(target, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["cli_nonce"] = WebUtility.HtmlDecode(nonce),
            ["subject"] = subject,
            ["email"] = email,
        }));
        var success = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var grant = GrantField().Match(success).Groups[1].Value;
        Assert.StartsWith("olg_", grant);
        return grant;
    }

    /// <summary>The first login URL the cmdlet showed to the person.</summary>
    public static string? FindLoginUrl(string text) => LoginUrl().Match(text) is { Success: true } m ? m.Value : null;

    [GeneratedRegex("name=\"cli_nonce\" value=\"([^\"]+)\"")]
    private static partial Regex NonceField();

    [GeneratedRegex("<code id=\"grant_id\">([^<]+)</code>")]
    private static partial Regex GrantField();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/auth/oidc/cli-login\?cli_nonce=[A-Za-z0-9_%]+")]
    private static partial Regex LoginUrl();
}
