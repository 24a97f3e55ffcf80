using NaraAuth.Core.Platform;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Tests;

/// <summary>What Tab inserts and shows for a name a platform sent, and the console's last guard.</summary>
public class CompletionCandidateTests
{
    [Theory]
    [InlineData("summarizeTicket", "summarizeTicket")]
    [InlineData("tok_abc-1.2", "tok_abc-1.2")]
    [InlineData("x&whoami", "'x&whoami'")]
    [InlineData("CI Pipeline", "'CI Pipeline'")]
    [InlineData("$(calc)", "'$(calc)'")]
    [InlineData("-Force", "'-Force'")]
    [InlineData("a'b", "'a''b'")]
    [InlineData("a\u2019b", "'a\u2019\u2019b'")]
    public void A_name_that_is_not_a_plain_word_is_single_quoted_with_its_quotes_doubled(string name, string inserted) =>
        Assert.Equal(inserted, new CompletionCandidate(name, name).CompletionText);

    [Fact]
    public void Control_sequences_leave_the_name_and_the_tooltip()
    {
        var candidate = new CompletionCandidate("x\u001b]0;title\u0007y\r\nz", "desc\u001b[2J\u0007");
        Assert.Equal("xy z", candidate.Value);
        Assert.Equal("'xy z'", candidate.CompletionText);
        Assert.Equal("desc", candidate.Description);
    }

    [Fact]
    public void Console_text_keeps_its_lines_and_its_length_but_no_escape_or_carriage_return()
    {
        var longLine = new string('a', 2000);
        Assert.Equal(longLine, DisplayText.ForConsole(longLine));
        Assert.Equal("one\ntwo", DisplayText.ForConsole("one\r\ntwo"));
        Assert.Equal("code WDJB -MZHB", DisplayText.ForConsole("code WDJB\u001b]0;owned\u0007\u001b[2J\r-MZHB"));
    }
}
