using NaraAuth.Core.Errors;

namespace NaraAuth.Core.Platform;

/// <summary>
/// A credential travels in an HTTP header (Authorization, X-Deployment-Secret), where a CR or LF
/// would start a new header and a NUL or another control character is malformed. Such a value is
/// refused before any request is built, with its own error id, instead of failing deep inside
/// the HTTP stack with a FormatException. The value itself is never quoted.
/// </summary>
public static class CredentialText
{
    /// <summary>Returns <paramref name="value"/>, or throws <paramref name="errorId"/> when it holds a control character.</summary>
    /// <param name="what">What the value is, for the message ("the -Token value", "DEPLOYMENT_SECRET").</param>
    public static string Check(string value, string what, string errorId)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            // A tab is legal in a header value (and reported as whitespace where it matters).
            if (c == '\t' || (c >= 0x20 && c != 0x7F && c != '\u0085' && c != '\u2028' && c != '\u2029')) continue;
            var kind = c == '\r' || c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029' ? "a line break"
                : c == '\0' ? "a NUL character"
                : $"the control character U+{(int)c:X4}";
            throw new NaraAuthException(errorId, NaraErrorCategory.InvalidArgument,
                $"{what} contains {kind} (at character {i + 1} of {value.Length}), which no credential holds and no HTTP header can carry.",
                "Copy the value again without line breaks or other invisible characters (for example with (Get-Content -Raw file).Trim()).");
        }
        return value;
    }

    /// <summary>An empty or blank -Token: refused before anything reads, resolves or sends it.</summary>
    /// <param name="recommendedAction">What the command accepts instead.</param>
    public static NaraAuthException EmptyToken(string recommendedAction) =>
        new("EmptyToken", NaraErrorCategory.InvalidArgument, "-Token is empty.", recommendedAction, "-Token");
}
