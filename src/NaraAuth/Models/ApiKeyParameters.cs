namespace NaraAuth.Models;

/// <summary>scrypt's cost parameters of an API key hash (ln = log2 N, r, p).</summary>
public sealed class ApiKeyParameters
{
    public int Log2N { get; internal set; }
    public long N { get; internal set; }
    public int BlockSize { get; internal set; }
    public int Parallelism { get; internal set; }
    /// <summary>Memory one verification needs: 128 * r * N bytes.</summary>
    public long MemoryBytes { get; internal set; }

    /// <summary>As the PHC string writes them, e.g. "ln=16,r=8,p=1".</summary>
    public override string ToString() => $"ln={Log2N},r={BlockSize},p={Parallelism}";
}
