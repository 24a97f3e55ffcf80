
namespace NaraAuth.ApiKeys;

/// <summary>
/// Bounds checked before scrypt allocates anything: a hash is attacker-controllable text
/// (pasted from a ticket or a config file), and ln=30 would ask for 128 GiB.
/// </summary>
public sealed class ScryptPolicy
{
    public static readonly ScryptPolicy Default = new();

    /// <summary>N at most 2^20 (the largest RFC 7914 test vector).</summary>
    public int MaxLog2N { get; set; } = 20;
    /// <summary>128 * r * N at most 256 MiB: four times what generation uses.</summary>
    public long MaxMemoryBytes { get; set; } = 256L * 1024 * 1024;
    /// <summary>
    /// Total work p * N * r bounded too, so p cannot turn a cheap hash into minutes of CPU: four
    /// verifications at the generation cost (ln=16, r=8), the same as the memory bound allows with
    /// p=1. scrypt is one computation that cannot stop halfway, so this also bounds what runs on
    /// after Ctrl+C (well under a second on an idle machine).
    /// </summary>
    public long MaxWorkBlocks { get; set; } = 4L * (1L << 16) * 8;
    /// <summary>docs/protocol.md 4: the salt decodes to at least 16 bytes.</summary>
    public int MinSaltBytes { get; set; } = 16;
    /// <summary>docs/protocol.md 4: the hash is 32 bytes.</summary>
    public int HashBytes { get; set; } = 32;

    internal string? TooLarge(ScryptParameters parameters)
    {
        if (parameters.Log2N > MaxLog2N)
            return $"ln={parameters.Log2N} asks for N = 2^{parameters.Log2N}; more than 2^{MaxLog2N} is refused";
        if (parameters.MemoryBytes > MaxMemoryBytes)
            return $"ln={parameters.Log2N}, r={parameters.BlockSize} needs {Mib(parameters.MemoryBytes)} MiB of memory; more than {Mib(MaxMemoryBytes)} MiB is refused";
        if ((long)parameters.Parallelism * parameters.BlockSize * parameters.N > MaxWorkBlocks)
            return $"p={parameters.Parallelism} with ln={parameters.Log2N}, r={parameters.BlockSize} needs more work than {MaxWorkBlocks / (8L << 16)} verifications at ln=16, r=8; it is refused";
        return null;
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}
