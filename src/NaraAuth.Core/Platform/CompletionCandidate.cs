using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Platform;

/// <summary>
/// A name the console can offer on Tab, with a line that says what it is. Both come from the
/// platform, so both are made harmless here: control characters and escape sequences go, the
/// text to insert is quoted unless it is a plain word (a name like <c>x&amp;whoami</c> or
/// <c>$(calc)</c> must never become a second command when the line is accepted), and the
/// description is redacted (a server that puts a credential into an agent's description does
/// not get it shown).
/// </summary>
public sealed class CompletionCandidate
{
    private static readonly Regex PlainWord = new("^[A-Za-z0-9_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant);

    public CompletionCandidate(string value, string description)
    {
        Value = DisplayText.Sanitize(value, int.MaxValue) ?? string.Empty;
        Description = DisplayText.Sanitize(description, 200) ?? string.Empty;
        CompletionText = Quote(Value);
    }

    /// <summary>The name, without control characters: what is matched against the typed prefix and listed.</summary>
    public string Value { get; }
    /// <summary>What Tab inserts: the name itself when it is a plain word, else single-quoted.</summary>
    public string CompletionText { get; }
    /// <summary>The tooltip.</summary>
    public string Description { get; }

    /// <summary>
    /// A single-quoted PowerShell string: nothing inside is expanded or run, and each quote
    /// (PowerShell reads the typographic ones as quotes too) is doubled.
    /// </summary>
    public static string Quote(string value)
    {
        if (PlainWord.IsMatch(value)) return value;
        var sb = new StringBuilder("'");
        foreach (var c in value)
        {
            sb.Append(c);
            if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201a' || c == '\u201b') sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }
}
