using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NaraAuth.ApiKeys;

/// <summary>
/// The secure public hash of docs/protocol.md 4: base64 (standard, padded) of the PHC string
/// "$scrypt$ln=16,r=8,p=1$&lt;salt&gt;$&lt;hash&gt;", salt and hash in unpadded standard base64.
/// Parsing is strict about what matters (parameters, lengths) and lenient only where the
/// protocol says so: a missing leading "$" in the decoded string, a trailing "$" after the
/// base64 text (the Edge Server's own CLI prints one), and a trailing "$" in the decoded string.
/// </summary>
public static class PhcScryptString
{
    public const string Algorithm = "scrypt";

    /// <summary>The PHC string, e.g. "$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA".</summary>
    public static string Format(ScryptParameters parameters, byte[] salt, byte[] hash) =>
        "$" + Algorithm + "$" + parameters + "$" + Unpadded(salt) + "$" + Unpadded(hash);

    /// <summary>The secure public hash: base64 of the PHC string's UTF-8 bytes.</summary>
    public static string Encode(ScryptParameters parameters, byte[] salt, byte[] hash) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Format(parameters, salt, hash)));

    /// <summary>
    /// Parses a hash that has no whitespace (the verifier reports whitespace before calling this).
    /// Never allocates in proportion to the parameters: the bounds are checked by the caller.
    /// </summary>
    internal static ParsedHash Parse(string hash, ScryptPolicy policy)
    {
        var text = hash.EndsWith("$", StringComparison.Ordinal) ? hash.Substring(0, hash.Length - 1) : hash;
        if (text.Length == 0) return ParsedHash.Fail(ApiKeyStatus.EmptyHash, "The hash is empty.");

        if (text.StartsWith("$scrypt$", StringComparison.Ordinal) || text.StartsWith("scrypt$", StringComparison.Ordinal))
            return ParsedHash.Fail(ApiKeyStatus.NotBase64,
                "The hash is a PHC string itself, not its base64 encoding; the Edge Server configuration stores the base64 of '$scrypt$...'.");
        var decoded = DecodeStandardBase64(text, requirePadding: false, out var base64Problem);
        if (decoded == null) return ParsedHash.Fail(ApiKeyStatus.NotBase64, "The hash is not standard base64: " + base64Problem + ".");

        string phc;
        try
        {
            phc = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(decoded);
        }
        catch (DecoderFallbackException)
        {
            return ParsedHash.Fail(ApiKeyStatus.NotPhcString, "The hash decodes to binary data, not to a PHC string such as '$scrypt$ln=16,r=8,p=1$<salt>$<hash>'.");
        }

        if (!phc.StartsWith("$", StringComparison.Ordinal)) phc = "$" + phc;
        if (phc.EndsWith("$", StringComparison.Ordinal)) phc = phc.Substring(0, phc.Length - 1);
        var parts = phc.Split('$');
        // parts[0] is the empty text before the leading '$'.
        if (parts.Length < 2 || parts[1].Length == 0 || !IsAlgorithmId(parts[1]))
            return ParsedHash.Fail(ApiKeyStatus.NotPhcString, "The hash decodes to text that is not a PHC string ('$<algorithm>$<parameters>$<salt>$<hash>').");

        var algorithm = parts[1];
        if (!string.Equals(algorithm, Algorithm, StringComparison.Ordinal))
            return ParsedHash.Fail(ApiKeyStatus.UnknownAlgorithm, $"The hash uses the algorithm '{algorithm}'; Edge Server API keys use scrypt.", algorithm);
        if (parts.Length != 5)
            return ParsedHash.Fail(ApiKeyStatus.MalformedParameters,
                $"The scrypt PHC string has {parts.Length - 1} '$'-separated fields; it needs 4: scrypt, ln=..,r=..,p=.., salt and hash.", algorithm);

        var parameters = ParseParameters(parts[2], out var parameterProblem);
        if (parameters == null)
            return ParsedHash.Fail(ApiKeyStatus.MalformedParameters, "The scrypt parameters '" + Shorten(parts[2]) + "' are malformed: " + parameterProblem + ".", algorithm);

        var tooLarge = policy.TooLarge(parameters);
        if (tooLarge != null)
            return ParsedHash.Fail(ApiKeyStatus.ParametersTooLarge, "The scrypt parameters are too large to verify safely: " + tooLarge + ".", algorithm, parameters);

        var salt = DecodeUnpadded(parts[3], out var saltProblem);
        if (salt == null)
            return ParsedHash.Fail(ApiKeyStatus.MalformedSalt, "The salt is not unpadded standard base64: " + saltProblem + ".", algorithm, parameters);
        if (salt.Length < policy.MinSaltBytes)
            return ParsedHash.Fail(ApiKeyStatus.MalformedSalt, $"The salt is {salt.Length} bytes; at least {policy.MinSaltBytes} are required.", algorithm, parameters);

        var expected = DecodeUnpadded(parts[4], out var hashProblem);
        if (expected == null)
            return ParsedHash.Fail(ApiKeyStatus.MalformedHash, "The hash value is not unpadded standard base64: " + hashProblem + ".", algorithm, parameters);
        if (expected.Length != policy.HashBytes)
            return ParsedHash.Fail(ApiKeyStatus.MalformedHash, $"The hash value is {expected.Length} bytes; scrypt API key hashes are {policy.HashBytes} bytes.", algorithm, parameters);

        return new ParsedHash(ApiKeyStatus.Match, null, algorithm, parameters, salt, expected);
    }

    private static ScryptParameters? ParseParameters(string segment, out string problem)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pair in segment.Split(','))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) { problem = $"'{Shorten(pair)}' is not name=value"; return null; }
            var name = pair.Substring(0, eq);
            var value = pair.Substring(eq + 1);
            if (name != "ln" && name != "r" && name != "p") { problem = $"'{Shorten(name)}' is not one of ln, r, p"; return null; }
            if (values.ContainsKey(name)) { problem = $"'{name}' is given twice"; return null; }
            // Digits only: no sign, no spaces, no leading zeros, and small enough for an int.
            if (value.Length == 0 || value.Length > 9 || (value.Length > 1 && value[0] == '0') || !AllDigits(value)
                || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                problem = $"{name}='{Shorten(value)}' is not a positive whole number";
                return null;
            }
            values[name] = number;
        }
        foreach (var name in new[] { "ln", "r", "p" })
            if (!values.ContainsKey(name)) { problem = $"'{name}' is missing"; return null; }
        if (values["ln"] < 1 || values["ln"] > 62) { problem = "ln must be between 1 and 62"; return null; }
        if (values["r"] < 1) { problem = "r must be at least 1"; return null; }
        if (values["p"] < 1) { problem = "p must be at least 1"; return null; }
        // RFC 7914: N must be less than 2^(128 * r / 8).
        if ((long)values["ln"] >= 16L * values["r"]) { problem = $"with r={values["r"]}, ln must be below {16L * values["r"]} (RFC 7914)"; return null; }
        problem = string.Empty;
        return new ScryptParameters(values["ln"], values["r"], values["p"]);
    }

    /// <summary>Standard alphabet; '=' padding optional (the outer hash) or forbidden (salt, hash).</summary>
    internal static byte[]? DecodeStandardBase64(string text, bool requirePadding, out string problem)
    {
        var body = text.TrimEnd('=');
        var padding = text.Length - body.Length;
        foreach (var c in body)
        {
            if (IsBase64Char(c)) continue;
            problem = c == '-' || c == '_'
                ? "it contains '" + c + "', which belongs to URL-safe base64, not the standard alphabet"
                : (c == '=' ? "'=' appears before the end" : $"it contains the character U+{(int)c:X4}");
            return null;
        }
        if (body.Length % 4 == 1) { problem = $"its length ({body.Length} characters without padding) cannot be base64"; return null; }
        var expectedPadding = (4 - body.Length % 4) % 4;
        if (padding != 0 && padding != expectedPadding) { problem = "its '=' padding is wrong"; return null; }
        if (requirePadding && padding != expectedPadding) { problem = "its '=' padding is missing"; return null; }
        try
        {
            problem = string.Empty;
            return Convert.FromBase64String(body + new string('=', expectedPadding));
        }
        catch (FormatException)
        {
            problem = "it does not decode";
            return null;
        }
    }

    private static byte[]? DecodeUnpadded(string text, out string problem)
    {
        if (text.Length == 0) { problem = "it is empty"; return null; }
        if (text.IndexOf('=') >= 0) { problem = "it has '=' padding, which PHC strings leave out"; return null; }
        if (text.IndexOf('.') >= 0) { problem = "it contains '.', as in passlib's adapted base64; the protocol uses standard base64"; return null; }
        return DecodeStandardBase64(text, requirePadding: false, out problem);
    }

    internal static string Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool IsBase64Char(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';

    private static bool AllDigits(string s)
    {
        foreach (var c in s) if (c < '0' || c > '9') return false;
        return true;
    }

    private static bool IsAlgorithmId(string id)
    {
        // PHC: [a-z0-9-], at most 32 characters.
        if (id.Length > 32) return false;
        foreach (var c in id) if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
        return true;
    }

    // What the hash decodes to is not secret, but it may be long garbage: keep messages short.
    private static string Shorten(string s) => s.Length > 40 ? s.Substring(0, 40) + "..." : s;
}

