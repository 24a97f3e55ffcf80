using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace NaraAuth.Emulator;

public enum DesktopLoginStatus
{
    Pending,
    Approved,
    Denied,
    /// <summary>The token was collected; the code cannot be used again.</summary>
    Completed,
}

/// <summary>One browser login started with POST /api/auth/desktop/start.</summary>
public sealed class DesktopLogin
{
    public required string Code { get; init; }
    public required string DeviceName { get; init; }
    public required string DeviceId { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
    public DesktopLoginStatus Status { get; set; }
    public string? Token { get; set; }
    public int Polls { get; set; }
    /// <summary>The interval this client must keep; grows by 5 s after each too-fast poll (docs/protocol.md 1.1).</summary>
    public double RequiredIntervalSeconds { get; set; }
    public DateTimeOffset? LastPollAt { get; set; }
}

/// <summary>
/// The emulated Edge Connector side of the platform: desktop logins, the default bundle and the
/// deployments the WebSocket accepts (docs/protocol.md 1.1, 1.2, 1.5).
/// </summary>
public sealed class EdgeConnectorStore
{
    private readonly ConcurrentDictionary<string, DesktopLogin> _logins = new(StringComparer.Ordinal);

    /// <summary>How long a login code lives.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>The interval sent to clients, in seconds (fractions allowed so tests run fast).</summary>
    public double IntervalSeconds { get; set; } = 2;
    /// <summary>Answer 429 (with Retry-After) to polls that come faster than the interval, as the platform does.</summary>
    public bool EnforceInterval { get; set; } = true;
    /// <summary>Who an approval logs in as, and for which organization.</summary>
    public string ApproveAsSubject { get; set; } = "user_1";
    public string ApproveAsOrganization { get; set; } = "org_1";
    public TimeSpan ApprovedTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Deployment id -> secret accepted by the WebSocket endpoint.</summary>
    public ConcurrentDictionary<string, string> Deployments { get; } = new(StringComparer.Ordinal)
    {
        ["dep_abc123"] = "sec_xyz789",
    };

    /// <summary>Successful WebSocket handshakes, by "deployment:&lt;id&gt;" or "bearer:&lt;sub&gt;".</summary>
    public ConcurrentQueue<string> AcceptedSockets { get; } = new();

    /// <summary>The default bundle document; "organization" is filled in per request.</summary>
    public JsonObject DefaultBundle { get; set; } = new()
    {
        ["id"] = "bundle_default",
        ["name"] = "Default bundle",
        ["version"] = 3,
        ["tools"] = new JsonArray(
            new JsonObject { ["name"] = "summarizeTicket", ["description"] = "Summarize a helpdesk ticket" },
            new JsonObject { ["name"] = "lookupAsset", ["description"] = "Find an asset by tag" }),
    };

    public IReadOnlyCollection<DesktopLogin> Logins => _logins.Values.ToList();

    /// <summary>Back to the defaults between tests.</summary>
    public void Reset()
    {
        _logins.Clear();
        CodeLifetime = TimeSpan.FromMinutes(10);
        IntervalSeconds = 2;
        EnforceInterval = true;
        ApproveAsSubject = "user_1";
        ApproveAsOrganization = "org_1";
        ApprovedTokenLifetime = TimeSpan.FromHours(8);
        Deployments.Clear();
        Deployments["dep_abc123"] = "sec_xyz789";
        while (AcceptedSockets.TryDequeue(out _)) { }
    }

    public DesktopLogin Start(string deviceName, string deviceId, DateTimeOffset now)
    {
        while (true)
        {
            var login = new DesktopLogin
            {
                Code = NewCode(), DeviceName = deviceName, DeviceId = deviceId, ExpiresAt = now + CodeLifetime,
                RequiredIntervalSeconds = IntervalSeconds, LastPollAt = now,
            };
            if (_logins.TryAdd(login.Code, login)) return login;
        }
    }

    public DesktopLogin? Find(string? code) => code != null && _logins.TryGetValue(code.Trim().ToUpperInvariant(), out var login) ? login : null;

    /// <summary>The most recently started login (tests that play the person use this).</summary>
    public DesktopLogin? Latest => _logins.Values.OrderByDescending(l => l.ExpiresAt).FirstOrDefault();

    /// <summary>Approves as a person would on the approval page; false when unknown, expired or already answered.</summary>
    public bool Approve(string code, EmulatorState state)
    {
        var login = Find(code);
        if (login == null || login.Status != DesktopLoginStatus.Pending || state.Time.GetUtcNow() >= login.ExpiresAt) return false;
        login.Token = state.MintToken(ApproveAsSubject, ApproveAsOrganization, lifetime: ApprovedTokenLifetime);
        login.Status = DesktopLoginStatus.Approved;
        return true;
    }

    public bool Deny(string code, EmulatorState state)
    {
        var login = Find(code);
        if (login == null || login.Status != DesktopLoginStatus.Pending || state.Time.GetUtcNow() >= login.ExpiresAt) return false;
        login.Status = DesktopLoginStatus.Denied;
        return true;
    }

    /// <summary>Makes a code expire now (the 410 path without waiting).</summary>
    public bool Expire(string code, EmulatorState state)
    {
        var login = Find(code);
        if (login == null) return false;
        login.ExpiresAt = state.Time.GetUtcNow() - TimeSpan.FromSeconds(1);
        return true;
    }

    // Letters without look-alikes (no I, O, 0, 1), as device-flow codes usually are.
    private static string NewCode()
    {
        const string alphabet = "BCDFGHJKLMNPQRSTVWXZ";
        Span<char> chars = stackalloc char[9];
        for (var i = 0; i < 9; i++) chars[i] = i == 4 ? '-' : alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return new string(chars);
    }
}
