using NaraAuth.Core.Errors;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Http;

namespace NaraAuth.Core.Status;

/// <summary>
/// The key or token a live check (Test-ApiKey -Uri) sends. Whitespace around it, typically the
/// newline of a file, is removed and reported; whitespace inside is reported, because servers
/// read such a header as malformed; an empty value or a control character is refused.
/// </summary>
public static class ProbeCredentialText
{
    /// <returns>The value to send as the bearer credential.</returns>
    /// <param name="reporter">Hears what was wrong with the value as given; never quoted.</param>
    public static string Prepare(string value, IReporter reporter)
    {
        var sent = value.Trim();
        if (sent.Length == 0)
            throw new NaraAuthException("EmptyApiKey", NaraErrorCategory.InvalidArgument,
                "The key or token is empty.", "Pass the key with -ApiKey or -Token.", "-ApiKey");
        CredentialText.Check(sent, "The key or token", "ApiKeyInvalidCharacters");
        if (sent.Length != value.Length)
            reporter.Warning("The key or token has leading or trailing whitespace (for example a newline from a file); it was sent without it. Remove it where the value is stored.");
        foreach (var c in sent)
        {
            if (!char.IsWhiteSpace(c)) continue;
            reporter.Warning("The key or token contains whitespace inside it; servers usually read such a header as malformed. Check how it was copied.");
            break;
        }
        return sent;
    }
}
