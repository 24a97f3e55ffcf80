using NaraAuth.ApiKeys;
using NaraAuth.Models;

namespace NaraAuth.Infrastructure;

/// <summary>Maps NaraAuth.ApiKeys results to the module's output types (which must not expose them).</summary>
internal static class ApiKeyModels
{
    public static ApiKeyParameters? From(ScryptParameters? parameters) => parameters == null ? null : new ApiKeyParameters
    {
        Log2N = parameters.Log2N,
        N = parameters.N,
        BlockSize = parameters.BlockSize,
        Parallelism = parameters.Parallelism,
        MemoryBytes = parameters.MemoryBytes,
    };

    public static ApiKeyTestResult From(ApiKeyVerification verification) => new()
    {
        IsValid = verification.IsValid,
        Status = ModelEnum.From<Models.ApiKeyStatus>(verification.Status),
        Algorithm = verification.Algorithm,
        Parameters = From(verification.Parameters),
        Reason = verification.Reason,
        TrimmedWouldMatch = verification.TrimmedWouldMatch,
    };
}
