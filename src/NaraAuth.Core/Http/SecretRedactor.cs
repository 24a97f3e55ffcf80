using System;
using System.Collections.Generic;
using System.Linq;
using NaraAuth.Core.Config;

namespace NaraAuth.Core.Http;

/// <summary>
/// Removes secrets from text a server wrote before it reaches a message, a verbose line or an
/// output property. Each request carries one: it knows what that call sent (bearer token,
/// credential headers, secret form fields) plus every secret the module has seen in this
/// process (<see cref="KnownSecrets"/>) and the secret environment variables, so a server that
/// echoes any of them back gets "***" quoted instead, whatever the status code.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>Shorter values are not credentials; masking them would garble ordinary words.</summary>
    public const int MinimumLength = 4;

    private readonly List<string> _secrets = new();

    /// <summary>A redactor for the known secrets only (no call-specific ones).</summary>
    public static SecretRedactor ForKnownSecrets() => new();

    /// <summary>Adds a value to mask (ignored when null or too short).</summary>
    public SecretRedactor Add(string? secret)
    {
        if (secret != null && secret.Trim().Length >= MinimumLength) _secrets.Add(secret.Trim());
        return this;
    }

    /// <summary>The text with every secret masked; null stays null.</summary>
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var all = new List<string>(_secrets);
        all.AddRange(KnownSecrets.Snapshot());
        foreach (var name in EnvironmentVariables.Secrets)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (value != null && value.Trim().Length >= MinimumLength) all.Add(value.Trim());
        }
        var result = text!;
        // Longest first, so a secret that contains another is masked whole.
        foreach (var secret in all.Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length))
        {
            result = result.Replace(secret, Mask);
            // Servers also echo what they received in a query string or form, still encoded.
            var encoded = Uri.EscapeDataString(secret);
            if (encoded != secret) result = result.Replace(encoded, Mask);
            // A multi-line secret (a PEM key) may come back one line at a time.
            foreach (var line in secret.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
                if (line != secret && line.Trim().Length >= MinimumLength) result = result.Replace(line.Trim(), Mask);
        }
        return result;
    }
}

