
namespace NaraAuth.ApiKeys;

/// <summary>scrypt's cost parameters as the PHC string writes them: ln = log2(N), r, p.</summary>
public sealed class ScryptParameters
{
    /// <summary>What New-ApiKey uses (docs/protocol.md 4): N = 65536, r = 8, p = 1, i.e. 64 MiB per verification.</summary>
    public static readonly ScryptParameters Default = new(16, 8, 1);

    public ScryptParameters(int log2N, int blockSize, int parallelism)
    {
        Log2N = log2N;
        BlockSize = blockSize;
        Parallelism = parallelism;
    }

    /// <summary>ln: the CPU/memory cost N is 2^ln.</summary>
    public int Log2N { get; }
    /// <summary>r: the block size factor.</summary>
    public int BlockSize { get; }
    /// <summary>p: the parallelization factor.</summary>
    public int Parallelism { get; }

    public long N => 1L << Log2N;

    /// <summary>The memory scrypt's ROMix needs for one lane: 128 * r * N bytes.</summary>
    public long MemoryBytes => 128L * BlockSize * N;

    /// <summary>The PHC parameter segment, e.g. "ln=16,r=8,p=1".</summary>
    public override string ToString() => $"ln={Log2N},r={BlockSize},p={Parallelism}";
}

