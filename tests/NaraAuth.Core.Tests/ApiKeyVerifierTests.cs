using System.Text;
using NaraAuth.ApiKeys;
using NaraAuth.Core.Status;

namespace NaraAuth.Core.Tests;

public class ApiKeyVerifierTests
{
    // Cheap parameters keep unit tests fast; the module tests use the real ln=16.
    private static readonly ScryptParameters Cheap = new(10, 8, 1);
    private static readonly byte[] Salt16 = Enumerable.Range(16, 16).Select(i => (byte)i).ToArray();

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    /// <summary>RFC 7914 section 12: the scrypt function's own test vectors (64-byte outputs).</summary>
    public static TheoryData<string, string, int, int, int, string> Rfc7914Vectors => new()
    {
        { "", "", 4, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906" },
        { "password", "NaCl", 10, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640" },
        { "pleaseletmein", "SodiumChloride", 14, 8, 1, "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887" },
    };

    [Theory]
    [MemberData(nameof(Rfc7914Vectors))]
    public void Rfc7914_vectors_hash_and_verify_through_the_api_key_code_path(string password, string salt, int ln, int r, int p, string expectedHex)
    {
        var parameters = new ScryptParameters(ln, r, p);
        var saltBytes = Encoding.UTF8.GetBytes(salt);
        Assert.Equal(expectedHex, Convert.ToHexString(ApiKeyHasher.Derive(Encoding.UTF8.GetBytes(password), saltBytes, parameters, 64)).ToLowerInvariant());

        // The PHC string built from the RFC's own bytes must be what the hasher writes (64-byte hash
        // variant), and its 32-byte form (PBKDF2's first block, as stored by Edge Server) verifies.
        var rfcHash = PhcScryptString.Encode(parameters, saltBytes, Hex(expectedHex));
        Assert.Equal(rfcHash, ApiKeyHasher.Hash(password, saltBytes, parameters, hashBytes: 64));
        if (password.Length == 0) return; // an empty key is its own outcome (EmptyKey)

        // RFC salts are shorter than the protocol's 16 bytes: relax only that rule to run them.
        var rfcPolicy = new ScryptPolicy { MinSaltBytes = 0 };
        var stored = PhcScryptString.Encode(parameters, saltBytes, Hex(expectedHex).Take(32).ToArray());
        var result = ApiKeyVerifier.Verify(password, stored, rfcPolicy);
        Assert.Equal(ApiKeyStatus.Match, result.Status);
        Assert.Equal(ln, result.Parameters!.Log2N);
        Assert.Equal(ApiKeyStatus.NoMatch, ApiKeyVerifier.Verify(password + "x", stored, rfcPolicy).Status);
        // With the protocol's policy, the same short salt is refused.
        Assert.Equal(ApiKeyStatus.MalformedSalt, ApiKeyVerifier.Verify(password, stored).Status);
    }

    [Fact]
    public void Rfc7914_largest_vector_is_refused_before_allocating_a_gibibyte()
    {
        var stored = PhcScryptString.Encode(new ScryptParameters(20, 8, 1), Salt16, new byte[32]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = ApiKeyVerifier.Verify("pleaseletmein", stored);
        Assert.Equal(ApiKeyStatus.ParametersTooLarge, result.Status);
        Assert.Contains("1024 MiB", result.Reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024, "refusal must not allocate scrypt's memory");
    }

    [Fact]
    public void Hash_computed_by_an_independent_implementation_verifies()
    {
        // Python's hashlib.scrypt (OpenSSL), key "rfc-independent-key-0123456789abcdefghijklmn=",
        // salt bytes 16..31, ln=10, r=8, p=1, 32 bytes, written as docs/protocol.md 4 says.
        const string hash = "JHNjcnlwdCRsbj0xMCxyPTgscD0xJEVCRVNFeFFWRmhjWUdSb2JIQjBlSHckSFh6T2h4L1U4Z2Z1ZXFwamJvR1dENUlWejZnZFo3azVadTJGbW1CaHdvdw==";
        Assert.Equal(ApiKeyStatus.Match, ApiKeyVerifier.Verify("rfc-independent-key-0123456789abcdefghijklmn=", hash).Status);
        Assert.Equal(hash, ApiKeyHasher.Hash("rfc-independent-key-0123456789abcdefghijklmn=", Salt16, Cheap));
    }

    [Fact]
    public void Generated_key_is_base64_of_32_bytes_and_its_hash_has_the_protocol_shape()
    {
        var generated = ApiKeyGenerator.Generate(Cheap);
        Assert.Equal(32, Convert.FromBase64String(generated.Key).Length);
        var phc = Encoding.UTF8.GetString(Convert.FromBase64String(generated.Hash));
        var parts = phc.Split('$');
        Assert.Equal(new[] { "", "scrypt", "ln=10,r=8,p=1" }, parts.Take(3));
        Assert.Equal(16, Convert.FromBase64String(parts[3] + "==").Length);
        Assert.Equal(32, Convert.FromBase64String(parts[4] + "=").Length);
        Assert.DoesNotContain("=", parts[3] + parts[4]);
        Assert.True(ApiKeyVerifier.Verify(generated.Key, generated.Hash).IsValid);
        Assert.NotEqual(generated.Key, ApiKeyGenerator.Generate(Cheap).Key);
        Assert.Equal("ln=16,r=8,p=1", ScryptParameters.Default.ToString());
    }

    [Fact]
    public void Leading_dollar_may_be_missing_and_trailing_dollars_are_tolerated()
    {
        var hash = ApiKeyHasher.Hash("k", Salt16, Cheap);
        var phc = Encoding.UTF8.GetString(Convert.FromBase64String(hash));
        Assert.True(ApiKeyVerifier.Verify("k", B64(phc.Substring(1))).IsValid);
        Assert.True(ApiKeyVerifier.Verify("k", hash + "$").IsValid);
        Assert.True(ApiKeyVerifier.Verify("k", B64(phc + "$")).IsValid);
    }

    [Fact]
    public void Trailing_newline_in_the_key_is_reported_and_the_trimmed_key_matches()
    {
        var hash = ApiKeyHasher.Hash("the-key", Salt16, Cheap);
        var result = ApiKeyVerifier.Verify("the-key\n", hash);
        Assert.Equal(ApiKeyStatus.KeyWhitespace, result.Status);
        Assert.False(result.IsValid);
        Assert.True(result.TrimmedWouldMatch);
        Assert.Contains("trailing newline", result.Reason);
        Assert.Contains("would match", result.Reason);

        var wrong = ApiKeyVerifier.Verify(" other-key", hash);
        Assert.Equal(ApiKeyStatus.KeyWhitespace, wrong.Status);
        Assert.False(wrong.TrimmedWouldMatch);
        Assert.Contains("leading whitespace (space)", wrong.Reason);
        Assert.Contains("would not match", wrong.Reason);
    }

    [Fact]
    public void Whitespace_in_the_hash_is_reported_and_the_cleaned_hash_is_checked()
    {
        var hash = ApiKeyHasher.Hash("the-key", Salt16, Cheap);
        var result = ApiKeyVerifier.Verify("the-key", hash + "\r\n");
        Assert.Equal(ApiKeyStatus.HashWhitespace, result.Status);
        Assert.True(result.TrimmedWouldMatch);
        Assert.Contains("trailing newline (CRLF)", result.Reason);
        var both = ApiKeyVerifier.Verify("the-key\t", hash.Insert(10, " "));
        Assert.Equal(ApiKeyStatus.KeyAndHashWhitespace, both.Status);
        Assert.Contains("inside", both.Reason);
        Assert.True(both.TrimmedWouldMatch);
    }

    public static TheoryData<string, ApiKeyStatus, string> BadHashes => new()
    {
        { "", ApiKeyStatus.EmptyHash, "No hash" },
        { "not base64!", ApiKeyStatus.NotBase64, "U+0021" },
        { "JHNjcnlwdCRsbj0xMCxyPTgscD0xJEVCRVNFeFFWRmhjWUdSb2JIQjBlSHckSFh6T2h4L1U4Z2Z1ZXFwamJvR1dENUlWejZnZFo3azVadTJGbW1CaHdvdw-_", ApiKeyStatus.NotBase64, "URL-safe" },
        { "$scrypt$ln=16,r=8,p=1$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c", ApiKeyStatus.NotBase64, "PHC string itself" },
        { Convert.ToBase64String(new byte[] { 0xff, 0xfe, 0x00, 0x80 }), ApiKeyStatus.NotPhcString, "binary" },
        { B64("just some text"), ApiKeyStatus.NotPhcString, "not a PHC string" },
        { B64("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA"), ApiKeyStatus.UnknownAlgorithm, "argon2id" },
        { B64("$scrypt$ln=16,r=8$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.MalformedParameters, "'p' is missing" },
        { B64("$scrypt$ln=16,r=8,p=1,x=2$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.MalformedParameters, "not one of ln, r, p" },
        { B64("$scrypt$ln=-1,r=8,p=1$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.MalformedParameters, "positive whole number" },
        { B64("$scrypt$ln=16,r=8,p=1$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.MalformedParameters, "needs 4" },
        { B64("$scrypt$ln=16,r=8,p=1$c2FsdA$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.MalformedSalt, "at least 16" },
        { B64("$scrypt$ln=16,r=8,p=1$EBESExQVFhcYGRobHB0eHw==$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.MalformedSalt, "padding" },
        { B64("$scrypt$ln=16,r=8,p=1$EBESExQVFhcYGRobHB0eHw$aGFzaA"), ApiKeyStatus.MalformedHash, "4 bytes" },
        { B64("$scrypt$ln=16,r=8,p=1$EBESExQVFhcYGRobHB0eHw$X4ag*xwX"), ApiKeyStatus.MalformedHash, "not unpadded standard base64" },
        { B64("$scrypt$ln=24,r=8,p=1$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.ParametersTooLarge, "2^24" },
        { B64("$scrypt$ln=16,r=8,p=4096$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.ParametersTooLarge, "p=4096" },
        { B64("$scrypt$ln=18,r=16,p=1$EBESExQVFhcYGRobHB0eHw$X4agexwX+qwgsnnWQCKYG6QWvKGBMGICW2u7rR7fu+c"), ApiKeyStatus.ParametersTooLarge, "MiB" },
    };

    [Theory]
    [MemberData(nameof(BadHashes))]
    public void Every_defect_of_the_hash_has_its_own_status_and_reason(string hash, ApiKeyStatus status, string reasonPart)
    {
        var result = ApiKeyVerifier.Verify("some-key", hash);
        Assert.Equal(status, result.Status);
        Assert.False(result.IsValid);
        Assert.Contains(reasonPart, result.Reason);
        Assert.DoesNotContain("some-key", result.Reason);
    }

    [Fact]
    public void Each_outcome_has_a_distinct_reason()
    {
        var hash = ApiKeyHasher.Hash("k", Salt16, Cheap);
        var reasons = new[]
        {
            ApiKeyVerifier.Verify("k", hash), ApiKeyVerifier.Verify("x", hash), ApiKeyVerifier.Verify("", hash),
            ApiKeyVerifier.Verify("k\n", hash), ApiKeyVerifier.Verify("k", hash + " "), ApiKeyVerifier.Verify("k ", " " + hash),
        }.Concat(BadHashes.Select(row => ApiKeyVerifier.Verify("k", (string)row.Data.Item1))).ToList();
        Assert.Equal(Enum.GetValues<ApiKeyStatus>().Length, reasons.Select(r => r.Status).Distinct().Count());
        foreach (var group in reasons.GroupBy(r => r.Status))
            Assert.DoesNotContain(reasons.Where(r => r.Status != group.Key), r => group.Any(g => g.Reason == r.Reason));
    }
}

public class CredentialProbeTests
{
    [Fact]
    public void Health_is_looked_for_beside_the_endpoint_then_in_each_parent_folder()
    {
        var candidates = NaraAuth.Core.Status.CredentialProbe.HealthCandidates(new Uri("http://127.0.0.1:5000/worker/v1/models?x=1"))
            .Select(u => u.ToString()).ToList();
        Assert.Equal(new[] { "http://127.0.0.1:5000/worker/v1/health", "http://127.0.0.1:5000/worker/health", "http://127.0.0.1:5000/health" }, candidates);
        Assert.Equal(new[] { "https://edge.example.com/health" },
            NaraAuth.Core.Status.CredentialProbe.HealthCandidates(new Uri("https://edge.example.com/")).Select(u => u.ToString()));
    }
}
