using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace NaraAuth.Emulator;

/// <summary>
/// The emulated Edge Server (docs/protocol.md 4): identities configured with the secure public hash of
/// their API key. Verification is written here independently of the module (its own PHC parsing,
/// BouncyCastle's scrypt), so the tests check the module against the format, not against itself.
/// </summary>
public sealed class EdgeServerStore
{
    private readonly ConcurrentDictionary<string, string> _identities = new();

    /// <summary>Configures an identity (auth.identities.&lt;name&gt;.credential.api_key = hash).</summary>
    public void AddIdentity(string name, string hash) => _identities[name] = hash;

    public void Clear() => _identities.Clear();

    /// <summary>The identity whose hash the key matches, or null.</summary>
    public string? Authenticate(string key)
    {
        foreach (var (name, hash) in _identities)
            if (Matches(key, hash)) return name;
        return null;
    }

    private static bool Matches(string key, string hash)
    {
        try
        {
            var phc = Encoding.UTF8.GetString(Convert.FromBase64String(hash.TrimEnd('$')));
            var fields = phc.TrimStart('$').TrimEnd('$').Split('$');
            if (fields.Length != 4 || fields[0] != "scrypt") return false;
            var settings = fields[1].Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1]));
            if (settings["ln"] > 20) return false; // an emulator does not spend a gibibyte either
            var salt = Unpadded(fields[2]);
            var expected = Unpadded(fields[3]);
            var actual = SCrypt.Generate(Encoding.UTF8.GetBytes(key), salt, 1 << settings["ln"], settings["r"], settings["p"], expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (Exception e) when (e is FormatException || e is KeyNotFoundException || e is ArgumentException || e is IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static byte[] Unpadded(string text) => Convert.FromBase64String(text + new string('=', (4 - text.Length % 4) % 4));
}
