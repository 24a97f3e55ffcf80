using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;

namespace NaraAuth.Core.Oidc;

/// <summary>What the person must do: open the URI and enter the code. Not secret: it is shown on screen.</summary>
public sealed class DeviceCodePrompt
{
    public DeviceCodePrompt(string userCode, Uri verificationUri, Uri? verificationUriComplete, DateTimeOffset expiresAt)
    {
        UserCode = userCode;
        VerificationUri = verificationUri;
        VerificationUriComplete = verificationUriComplete;
        ExpiresAt = expiresAt;
    }

    public string UserCode { get; }
    public Uri VerificationUri { get; }
    public Uri? VerificationUriComplete { get; }
    public DateTimeOffset ExpiresAt { get; }
}

/// <summary>
/// The OAuth 2.0 device authorization grant (RFC 8628) against the discovered endpoints. MSAL
/// cannot run it against a generic OIDC authority, so it lives here. The device code is a secret
/// (whoever holds it can redeem the login) and is never shown or logged.
/// </summary>
public sealed class DeviceCodeFlow
{
    private const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";
    private readonly OidcProviderMetadata _provider;
    private readonly OidcSettings _settings;
    private readonly IClock _clock;

    public DeviceCodeFlow(OidcProviderMetadata provider, OidcSettings settings, IClock clock)
    {
        _provider = provider;
        _settings = settings;
        _clock = clock;
    }

    /// <summary>RFC 8628 3.2: 5 s when the provider sends no interval.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    /// <summary>RFC 8628 3.5: slow_down adds 5 s to the interval for all later polls.</summary>
    public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);

    /// <summary>Raised with a note when polling changes pace (never carries a secret).</summary>
    public event Action<string>? Note;

    public async Task<OidcTokens> RunAsync(Action<DeviceCodePrompt> show, Action<TimeSpan, TimeSpan>? onWait, CancellationToken cancellationToken)
    {
        var endpoint = _provider.DeviceAuthorizationEndpoint ?? throw new NaraAuthException("OidcDeviceCodeNotSupported", NaraErrorCategory.NotEnabled,
            $"The identity provider '{_provider.Issuer}' publishes no device_authorization_endpoint, so it does not support device code login.",
            "Log in without -UseDeviceCode (browser), or enable the device flow for the client at the provider.");

        var started = await OidcHttp.PostFormAsync(endpoint, new Dictionary<string, string>
        {
            ["client_id"] = _settings.ClientId,
            ["scope"] = _settings.Scope,
        }, cancellationToken).ConfigureAwait(false);
        if (!started.IsSuccess)
        {
            throw new NaraAuthException("OidcDeviceAuthorizationFailed", NaraErrorCategory.InvalidOperation,
                Text.DisplayText.EndSentence($"The identity provider refused to start a device login (HTTP {started.StatusCode}){(started.ServerReason is { } r ? ": " + r : string.Empty)}"),
                "Check -ClientId and that the client may use the device code grant.", endpoint.ToString());
        }

        string deviceCode;
        DeviceCodePrompt prompt;
        var interval = DefaultInterval;
        using (var document = started.Json())
        {
            var root = document.RootElement;
            deviceCode = JsonText.StringOf(root, "device_code") ?? string.Empty;
            var userCode = JsonText.StringOf(root, "user_code");
            // "verification_url" is what some providers (Google) send.
            var verification = JsonText.StringOf(root, "verification_uri") ?? JsonText.StringOf(root, "verification_url");
            var complete = JsonText.StringOf(root, "verification_uri_complete");
            var expiresIn = Number(root, "expires_in") ?? 600;
            if (Number(root, "interval") is { } seconds && seconds > 0) interval = TimeSpan.FromSeconds(seconds);
            if (deviceCode.Length == 0 || string.IsNullOrEmpty(userCode) || verification == null || !Uri.TryCreate(verification, UriKind.Absolute, out var verificationUri))
            {
                throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                    "The identity provider's device authorization answer lacks device_code, user_code or verification_uri.", null, endpoint.ToString());
            }
            Uri.TryCreate(complete, UriKind.Absolute, out var completeUri);
            prompt = new DeviceCodePrompt(userCode!, verificationUri, completeUri, _clock.UtcNow.AddSeconds(expiresIn));
        }
        show(prompt);

        var total = prompt.ExpiresAt - _clock.UtcNow;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = GrantType,
            ["device_code"] = deviceCode,
            ["client_id"] = _settings.ClientId,
        };
        TimeSpan? extraWait = null;
        while (true)
        {
            var left = prompt.ExpiresAt - _clock.UtcNow;
            if (left <= TimeSpan.Zero) throw Expired();
            onWait?.Invoke(left, total);
            var wait = extraWait ?? interval;
            extraWait = null;
            await PauseAsync(wait < left ? wait : left, () => onWait?.Invoke(prompt.ExpiresAt - _clock.UtcNow, total), cancellationToken).ConfigureAwait(false);

            ApiResponse response;
            try
            {
                response = await OidcHttp.PostFormAsync(_provider.TokenEndpoint, form, cancellationToken).ConfigureAwait(false);
            }
            catch (NaraAuthException e) when (e.ErrorId == "RequestTimedOut" || e.ErrorId == "PlatformUnreachable")
            {
                // RFC 8628 3.5: back off on connection timeouts.
                interval = Min(MaxInterval, TimeSpan.FromTicks(interval.Ticks * 2));
                Note?.Invoke($"{e.Message} Polling every {interval.TotalSeconds:0} s now.");
                continue;
            }

            if (response.IsSuccess) return OidcTokens.Parse(response, _clock.UtcNow);
            switch (response.ErrorCode)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval = Min(MaxInterval, interval + SlowDownStep);
                    Note?.Invoke($"The identity provider asked to slow down; polling every {interval.TotalSeconds:0} s now.");
                    continue;
                case "access_denied":
                    throw new NaraAuthException("OidcAccessDenied", NaraErrorCategory.PermissionDenied,
                        "The login was denied at the identity provider.", "Run the login again and approve it, or ask for access to the application.");
                case "expired_token":
                    throw Expired();
            }
            if (response.StatusCode == 429 || response.StatusCode >= 500)
            {
                extraWait = response.RetryAfter(_clock.UtcNow);
                interval = Min(MaxInterval, TimeSpan.FromTicks(interval.Ticks * 2));
                Note?.Invoke($"The identity provider answered HTTP {response.StatusCode}; polling again in {(extraWait ?? interval).TotalSeconds:0} s.");
                continue;
            }
            throw new NaraAuthException("OidcTokenRequestFailed", NaraErrorCategory.AuthenticationError,
                $"The identity provider refused the device login (HTTP {response.StatusCode}){(response.ServerReason is { } why ? ": " + why : ".")}",
                "Check -ClientId and the provider's client settings, then log in again.", _provider.TokenEndpoint.ToString());
        }
    }

    /// <summary>Waits between polls in steps of a second, so the countdown the person sees moves every second.</summary>
    private static async Task PauseAsync(TimeSpan pause, Action tick, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < pause)
        {
            var step = pause - waited.Elapsed;
            await Task.Delay(step < TimeSpan.FromSeconds(1) ? step : TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            if (waited.Elapsed < pause) tick();
        }
    }

    private static NaraAuthException Expired() =>
        new("OidcDeviceCodeExpired", NaraErrorCategory.OperationTimeout,
            "The device code expired before the login was completed.",
            "Run the login again and enter the code in time.");

    private static int? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
