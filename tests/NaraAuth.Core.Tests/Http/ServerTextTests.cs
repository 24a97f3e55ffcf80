using NaraAuth.Core.Ci;
using NaraAuth.Core.Http;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Tests.Http;

/// <summary>Text from outside made fit for messages, and secrets made fit for CI logs.</summary>
public class ServerTextTests
{
    [Theory]
    [InlineData("Acme\u001b[2J\u001b[31mRED", "AcmeRED")]
    [InlineData("org\u001b]0;pwned title\u0007_1", "org_1")]
    [InlineData("a\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\b", "alinkb")]
    [InlineData("line1\r\nline2\tx", "line1 line2 x")]
    [InlineData("abc\u202edcba", "abc dcba")]
    [InlineData("bell\u0007\u009b31mx", "bell x")]
    public void Control_sequences_and_characters_never_reach_a_message(string input, string expected) =>
        Assert.Equal(expected, DisplayText.Sanitize(input));

    [Theory]
    [InlineData("Refused: The user refused the login.", "Refused: The user refused the login.")]
    [InlineData("Refused: no reason", "Refused: no reason.")]
    [InlineData("Is it? ", "Is it?")]
    [InlineData("Stop!", "Stop!")]
    public void A_message_ends_with_exactly_one_full_stop(string input, string expected) =>
        Assert.Equal(expected, DisplayText.EndSentence(input));

    [Theory]
    [InlineData(403, "{\"detail\": \"You need the admin role.\"}", "Could not list tokens: permission denied (403): You need the admin role.")]
    [InlineData(404, "{\"detail\": \"no such agent\"}", "Could not list tokens: not found (404): no such agent.")]
    [InlineData(401, "", "Could not list tokens: the server rejected the credential (401).")]
    public void Server_reasons_are_quoted_without_a_doubled_full_stop(int status, string body, string expected)
    {
        using var message = new System.Net.Http.HttpResponseMessage((System.Net.HttpStatusCode)status);
        var response = new ApiResponse((System.Net.HttpStatusCode)status, body, message.Headers, new Uri("http://127.0.0.1/api/tokens"));
        Assert.Equal(expected, response.ToException("list tokens").Message);
    }

    [Fact]
    public void Long_server_text_is_capped() =>
        Assert.Equal(503, DisplayText.Sanitize(new string('x', 10_000))!.Length);

    [Fact]
    public void The_redactor_masks_plain_encoded_and_line_wise_echoes()
    {
        var redactor = new SecretRedactor().Add("s3cret/with+chars").Add("-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----").Add("x");
        Assert.Equal("got ***", redactor.Redact("got s3cret/with+chars"));
        Assert.Equal("got ***", redactor.Redact("got " + Uri.EscapeDataString("s3cret/with+chars")));
        Assert.DoesNotContain("AAAABBBBCCCC", redactor.Redact("second line: AAAABBBBCCCC"));
        // Too short to be a credential: ordinary words stay readable.
        Assert.Equal("example", redactor.Redact("example"));
    }

    [Fact]
    public void GitHub_Actions_and_Azure_Pipelines_mask_a_multi_line_secret_line_by_line()
    {
        var env = new FakeEnvironment();
        env.Variables["GITHUB_ACTIONS"] = "true";
        const string pem = "-----BEGIN PRIVATE KEY-----\r\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n\n-----END PRIVATE KEY-----\n";
        Assert.Equal(new[]
        {
            "::add-mask::-----BEGIN PRIVATE KEY-----",
            "::add-mask::MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
            "::add-mask::BKcwggSjAgEAAoIBAQC7",
            "::add-mask::-----END PRIVATE KEY-----",
        }, CiSecretMasking.MaskCommands(env, pem));
        Assert.Equal(new[] { "::add-mask::100%25sure" }, CiSecretMasking.MaskCommands(env, "100%sure"));
        env.Variables["TF_BUILD"] = "true";
        // Azure Pipelines masks the value as one and, since a value printed as text reaches the
        // log one line at a time, every line on its own as well.
        Assert.Equal(new[]
        {
            "##vso[task.setsecret]-----BEGIN PRIVATE KEY-----%0D%0AMIIEvQIBADANBgkqhkiG9w0BAQEFAASC%0ABKcwggSjAgEAAoIBAQC7%0A%0A-----END PRIVATE KEY-----%0A",
            "##vso[task.setsecret]-----BEGIN PRIVATE KEY-----",
            "##vso[task.setsecret]MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
            "##vso[task.setsecret]BKcwggSjAgEAAoIBAQC7",
            "##vso[task.setsecret]-----END PRIVATE KEY-----",
        }, CiSecretMasking.MaskCommands(env, pem));
        Assert.Equal(new[] { "##vso[task.setsecret]one-line" }, CiSecretMasking.MaskCommands(env, "one-line"));
    }
}
