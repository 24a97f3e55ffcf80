using System.Text;

namespace NaraAuth.Core.Text;

/// <summary>
/// Makes text that came from outside (a server's error body, an unverified token's claims, a
/// redirect's Location) safe to put in a message: terminal escape sequences are removed, other
/// control characters and bidirectional overrides become spaces, and the length is capped, so a
/// hostile value can neither repaint the console nor hide the words around it.
/// </summary>
public static class DisplayText
{
    public const int DefaultMaxLength = 500;

    public static string? Sanitize(string? text, int maxLength = DefaultMaxLength)
    {
        if (text == null) return null;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\u001b' || c == '\u009b')
            {
                i = SkipEscape(text, i);
                continue;
            }
            if (char.IsControl(c) || IsBidiControl(c))
            {
                // Keep words apart without keeping the character.
                if (sb.Length > 0 && sb[sb.Length - 1] != ' ') sb.Append(' ');
                continue;
            }
            sb.Append(c);
        }
        var clean = sb.ToString().Trim();
        return clean.Length > maxLength && maxLength < int.MaxValue ? clean.Substring(0, maxLength) + "..." : clean;
    }

    /// <summary>
    /// Text as it may reach the console: the last guard, where every line meets the person (the
    /// reporter, host lines, error messages). Escape sequences and control characters go as in
    /// <see cref="Sanitize"/>, but nothing is cut and the lines the text was written in are kept
    /// (a CR, which would let the rest overwrite the line, becomes a space).
    /// </summary>
    public static string ForConsole(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
        if (!NeedsCleaning(text!)) return text!;
        var lines = text!.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++) lines[i] = Sanitize(lines[i], int.MaxValue) ?? string.Empty;
        return string.Join("\n", lines);
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (var c in text)
            if ((char.IsControl(c) && c != '\n') || IsBidiControl(c)) return true;
        return false;
    }

    /// <summary>Index of the last character of the escape sequence starting at <paramref name="start"/>.</summary>
    private static int SkipEscape(string text, int start)
    {
        var i = start + 1;
        if (text[start] == '\u009b') return SkipCsi(text, i);
        if (i >= text.Length) return start;
        switch (text[i])
        {
            case '[':
                return SkipCsi(text, i + 1);
            case ']':
            case 'P':
            case '_':
            case '^':
                // OSC, DCS, APC, PM: run until BEL or ST (ESC \).
                for (var j = i + 1; j < text.Length; j++)
                {
                    if (text[j] == '\u0007') return j;
                    if (text[j] == '\u001b' && j + 1 < text.Length && text[j + 1] == '\\') return j + 1;
                }
                return text.Length - 1;
            default:
                // A two-character escape (ESC c, ESC 7 ...).
                return i;
        }
    }

    private static int SkipCsi(string text, int i)
    {
        // Parameters and intermediates (0x20-0x3F), then one final byte (0x40-0x7E).
        while (i < text.Length && text[i] >= ' ' && text[i] <= '?') i++;
        return i < text.Length ? i : text.Length - 1;
    }

    private static bool IsBidiControl(char c) =>
        (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f' || c == '\u061c';

    /// <summary>
    /// Ends a message with exactly one full stop. Messages often end in quoted server text that
    /// has its own ("...: The user refused the login."), which must not become "..".
    /// </summary>
    public static string EndSentence(string text)
    {
        var trimmed = text.TrimEnd();
        return trimmed.Length > 0 && ".!?".IndexOf(trimmed[trimmed.Length - 1]) >= 0 ? trimmed : trimmed + ".";
    }
}
