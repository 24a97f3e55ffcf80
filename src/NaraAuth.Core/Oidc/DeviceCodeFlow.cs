using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.Browser;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;
using NaraAuth.Core.Polling;
using NaraAuth.Core.Reporting;
using NaraAuth.Core.Text;

namespace NaraAuth.Core.Oidc;

/// <summary>
/// The OAuth 2.0 device authorization grant (RFC 8628) against the discovered endpoints. MSAL
/// cannot run it against a generic OIDC authority, so it lives here. The device code is a secret
/// (whoever holds it can redeem the login) and is never shown or logged; the user code and the
/// page go through the one browser prompt.
/// </summary>
public sealed class DeviceCodeFlow
{
    private const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";
    private readonly OidcProviderMetadata _provider;
    private readonly OidcSettings _settings;
    private readonly IClock _clock;
    private readonly IReporter _reporter;
    private readonly BrowserPrompt _prompt;

    /// <param name="reporter">Hears the countdown and why polling changed pace.</param>
    /// <param name="prompt">Opens the page (unless -NoBrowser) and tells the person the code (docs/decisions/browser-prompt.md).</param>
    public DeviceCodeFlow(OidcProviderMetadata provider, OidcSettings settings, IClock clock, IReporter reporter, BrowserPrompt prompt)
    {
        _provider = provider;
        _settings = settings;
        _clock = clock;
        _reporter = reporter;
        _prompt = prompt;
    }

    /// <summary>What the person knows the login by: the provider's issuer.</summary>
    private string Service => _provider.Issuer.TrimEnd('/');

    /// <summary>RFC 8628 3.2: 5 s when the provider sends no interval.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    /// <summary>RFC 8628 3.5: slow_down adds 5 s to the interval for all later polls.</summary>
    public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);
    /// <summary>Our own limit on the wait, whatever expires_in says: a provider cannot keep the session waiting for days.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(30);

    /// <summary>The longest wait for the code to be entered, even when the code lives longer.</summary>
    public TimeSpan MaxWait { get; set; } = DefaultMaxWait;

    /// <summary>When the wait ends: the code's expiry, or sooner by <paramref name="maxWait"/>; true when our own limit comes first.</summary>
    internal static (DateTimeOffset Deadline, bool Local) WaitDeadline(DateTimeOffset now, DateTimeOffset codeExpiresAt, TimeSpan maxWait)
    {
        var local = now + maxWait;
        return local < codeExpiresAt ? (local, true) : (codeExpiresAt, false);
    }

    public async Task<OidcTokens> RunAsync(CancellationToken cancellationToken)
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
            if (deviceCode.Length == 0 || string.IsNullOrEmpty(userCode) || verification == null)
            {
                throw new NaraAuthException("MalformedServerResponse", NaraErrorCategory.ProtocolError,
                    "The identity provider's device authorization answer lacks device_code, user_code or verification_uri.", null, endpoint.ToString());
            }
            var verificationUri = LoginPage(verification, "verification_uri", endpoint);
            var completeUri = complete == null ? null : LoginPage(complete, "verification_uri_complete", endpoint);
            // Server text on the console: control characters out, length capped, whatever the reporter does later.
            prompt = new DeviceCodePrompt(DisplayText.Sanitize(userCode, 64)!, verificationUri, completeUri, _clock.UtcNow.AddSeconds(expiresIn));
        }
        _prompt.Show(new BrowserPromptPage(Service, prompt.VerificationUri.AbsoluteUri)
        {
            Code = prompt.UserCode,
            CodeIsEntered = true,
            UrlWithCode = prompt.VerificationUriComplete?.AbsoluteUri,
            ExpiresAt = prompt.ExpiresAt,
        });

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = GrantType,
            ["device_code"] = deviceCode,
            ["client_id"] = _settings.ClientId,
        };
        var (deadline, localLimit) = WaitDeadline(_clock.UtcNow, prompt.ExpiresAt, MaxWait);
        NaraAuthException Ended() => localLimit ? TimedOut(MaxWait) : Expired();
        var schedule = new PollSchedule(_clock, deadline, interval, _reporter)
        {
            MaxInterval = MaxInterval,
            // RFC 8628 3.5: back off on connection timeouts.
            BackOffOnFailure = true,
            Activity = "OIDC device login",
            Status = "Waiting for the code to be entered",
        };
        try
        {
            return await PollAsync(form, schedule, Ended, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // RFC 8628 has no way to withdraw a device code: approving it now authorizes nobody, and it expires.
            _reporter.Information(BrowserPrompt.CancelledLine(Service, pageCanStillFinish: true));
            throw;
        }
    }

    private async Task<OidcTokens> PollAsync(Dictionary<string, string> form, PollSchedule schedule, Func<NaraAuthException> Ended, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (schedule.IsOver) throw Ended();
            await schedule.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (schedule.IsOver) throw Ended();

            ApiResponse response;
            try
            {
                response = await OidcHttp.PostFormAsync(_provider.TokenEndpoint, form, cancellationToken, schedule.StartPoll()).ConfigureAwait(false);
            }
            catch (NaraAuthException e) when (e.IsTransient && schedule.Failed(e.ErrorId))
            {
                continue;
            }

            if (response.IsSuccess) return OidcTokens.Parse(response, _clock.UtcNow);
            switch (response.ErrorCode)
            {
                case "authorization_pending":
                    schedule.Pending();
                    continue;
                case "slow_down":
                    schedule.SlowDown("The identity provider asked to slow down", SlowDownStep);
                    continue;
                case "access_denied":
                    throw new NaraAuthException("OidcAccessDenied", NaraErrorCategory.PermissionDenied,
                        "The login was denied at the identity provider.", "Run the login again and approve it, or ask for access to the application.");
                case "expired_token":
                    throw Expired();
            }
            if (response.StatusCode == 429 || response.StatusCode >= 500)
            {
                var asked = response.RetryAfter(_clock.UtcNow);
                // Asked to wait past our deadline: no code entered in time could be collected, so
                // the provider's refusal is the answer now, not a wait blamed on the person later.
                if (schedule.IsBeyondDeadline(asked)) throw response.ToException("wait for the device login");
                if (schedule.Failed($"HTTP {response.StatusCode}", asked)) continue;
            }
            throw new NaraAuthException("OidcTokenRequestFailed", NaraErrorCategory.AuthenticationError,
                $"The identity provider refused the device login (HTTP {response.StatusCode}){(response.ServerReason is { } why ? ": " + why : ".")}",
                "Check -ClientId and the provider's client settings, then log in again.", _provider.TokenEndpoint.ToString());
        }
    }

    /// <summary>
    /// A page the provider asks the person to open: https, or http on this machine, as every address
    /// the module talks to. Anything else (http to another host, javascript:, file:) is neither opened
    /// nor shown, so a hostile provider cannot send the person to a page it could read or forge.
    /// </summary>
    private static Uri LoginPage(string text, string field, Uri endpoint)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.UserInfo)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && BaseUrlPolicy.IsLoopback(uri)))
            return uri;
        throw new NaraAuthException("OidcVerificationUriRefused", NaraErrorCategory.SecurityError,
            $"The identity provider's device login page ({field}) '{SafeUri.WithoutQuery(text)}' is not an https address, so it is neither opened nor shown.",
            "Check -Authority: the provider's device login page must be https (http only on this machine).", endpoint.ToString());
    }

    private static NaraAuthException TimedOut(TimeSpan maxWait) =>
        new("OidcDeviceCodeTimedOut", NaraErrorCategory.OperationTimeout,
            $"The code was not entered within {Text.DurationText.Of(maxWait)}, the longest this login waits.",
            "Run the login again and enter the code in time, or allow longer with -LoginTimeoutSec.");

    private static NaraAuthException Expired() =>
        new("OidcDeviceCodeExpired", NaraErrorCategory.OperationTimeout,
            "The device code expired before the login was completed.",
            "Run the login again and enter the code in time.");

    private static int? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}
