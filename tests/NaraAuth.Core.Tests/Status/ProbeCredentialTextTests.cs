using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Status;

namespace NaraAuth.Core.Tests.Status;

/// <summary>What a live key check sends, and what it says about the value as given.</summary>
public class ProbeCredentialTextTests
{
    [Fact]
    public void A_clean_key_is_sent_as_it_is_without_warnings()
    {
        var reporter = new RecordingReporter();
        Assert.Equal("key_abc", ProbeCredentialText.Prepare("key_abc", reporter));
        Assert.Empty(reporter.Warnings);
    }

    [Fact]
    public void Whitespace_around_the_key_is_removed_and_reported()
    {
        var reporter = new RecordingReporter();
        Assert.Equal("key_abc", ProbeCredentialText.Prepare("key_abc\n", reporter));
        Assert.Contains("leading or trailing whitespace", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void Whitespace_inside_the_key_is_reported_once_and_kept()
    {
        var reporter = new RecordingReporter();
        Assert.Equal("key a\tb", ProbeCredentialText.Prepare(" key a\tb", reporter));
        var warnings = reporter.Warnings.ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.Contains("whitespace inside it", warnings[1]);
        Assert.DoesNotContain(warnings, w => w.Contains("key a"));
    }

    [Theory]
    [InlineData("", "EmptyApiKey")]
    [InlineData(" \r\n", "EmptyApiKey")]
    [InlineData("key\r\nX-Injected: 1", "ApiKeyInvalidCharacters")]
    public void An_empty_key_or_one_with_a_control_character_is_refused_without_quoting_it(string value, string errorId)
    {
        var e = Assert.Throws<NaraAuthException>(() => ProbeCredentialText.Prepare(value, new RecordingReporter()));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(NaraErrorCategory.InvalidArgument, e.Category);
        Assert.DoesNotContain("X-Injected", e.Message);
    }
}
