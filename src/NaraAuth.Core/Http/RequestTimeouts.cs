using System;

namespace NaraAuth.Core.Http;

/// <summary>
/// The timeouts a request can get: three settings, each with one meaning (docs/architecture.md,
/// "Timeouts"). <see cref="Default"/> bounds one attempt when nobody said otherwise; the call's
/// -TimeoutSec (<see cref="NetworkSettings.RequestTimeout"/>) replaces it for every request of
/// that call; a flow's time limit (<see cref="ApiRequest.TimeLimit"/>: what is left of a login
/// wait) clips an attempt whatever the other two say, so no request outlives its flow. There is
/// no per-client, per-request or per-feature timeout besides these.
/// </summary>
public static class RequestTimeouts
{
    /// <summary>
    /// How long one attempt of a request may take, answer body included, when the call named no
    /// -TimeoutSec: HttpClient's and MSAL's usual 100 s, for every endpoint alike.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(100);

    /// <summary>What a request of a call with these settings may take: its -TimeoutSec, else <see cref="Default"/>.</summary>
    public static TimeSpan Of(NetworkSettings? settings) => settings?.RequestTimeout ?? Default;

    /// <summary>
    /// The timeout of one attempt: the current call's -TimeoutSec, else <see cref="Default"/>;
    /// never beyond <paramref name="flowLimit"/>, the flow's own time left.
    /// </summary>
    public static TimeSpan ForAttempt(TimeSpan? flowLimit)
    {
        var timeout = Of(NetworkSettings.Current);
        return flowLimit is { } limit && limit < timeout ? limit : timeout;
    }
}
