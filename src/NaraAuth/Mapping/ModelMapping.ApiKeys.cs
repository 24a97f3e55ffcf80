using NaraAuth.ApiKeys;
using NaraAuth.Core.Http;
using NaraAuth.Infrastructure;
using NaraAuth.Models;
using NaraAuth.Core.Status;

namespace NaraAuth.Mapping;

internal static partial class ModelMapping
{
    public static ApiKeyParameters? ToModel(ScryptParameters? parameters) => parameters == null ? null : new ApiKeyParameters
    {
        Log2N = parameters.Log2N,
        N = parameters.N,
        BlockSize = parameters.BlockSize,
        Parallelism = parameters.Parallelism,
        MemoryBytes = parameters.MemoryBytes,
    };

    public static ApiKeyTestResult ToResult(ApiKeyVerification verification) => new()
    {
        IsValid = verification.IsValid,
        Status = ModelEnum.From<Models.ApiKeyStatus>(verification.Status),
        Algorithm = verification.Algorithm,
        Parameters = ToModel(verification.Parameters),
        Reason = verification.Reason,
        TrimmedWouldMatch = verification.TrimmedWouldMatch,
    };

    public static ApiKeyLiveCheckResult ToResult(CredentialProbeResult probe) => new()
    {
        // The query may hold a key: the result names the address without it (docs/security.md).
        Uri = SafeUri.WithoutQuery(probe.Uri),
        Result = ModelEnum.From<ApiKeyLiveResult>(probe.Outcome),
        Accepted = probe.Outcome == CredentialProbeOutcome.Accepted,
        StatusCode = probe.StatusCode,
        ServerReason = probe.ServerReason,
        HealthAnswered = probe.HealthAnswered,
        HealthUri = probe.HealthUri == null ? null : SafeUri.WithoutQuery(probe.HealthUri),
        Message = probe.Message,
    };

    public static NewApiKeyResultBase ToResult(GeneratedApiKey generated, string? id, string permissionSet, bool asPlainText)
    {
        NewApiKeyResultBase result = asPlainText
            ? new NewApiKeyPlainTextResult { ApiKey = generated.Key }
            : new NewApiKeyResult { ApiKey = SecretText.ToSecureString(generated.Key) };
        result.Id = id;
        result.Hash = generated.Hash;
        result.Algorithm = PhcScryptString.Algorithm;
        result.Parameters = ToModel(generated.Parameters)!;
        result.ConfigSnippet = id == null ? null : EdgeServerIdentitySnippet.For(id, generated.Hash, permissionSet);
        return result;
    }
}
