using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Emulator.Infrastructure;
using NaraAuth.Core.Oidc.Browser;

namespace NaraAuth.Core.Tests.Http;

/// <summary>
/// The three timeouts a request can get (docs/architecture.md, "Timeouts"): the request default,
/// the call's -TimeoutSec that replaces it, and a flow's time limit that clips an attempt. Over
/// real loopback HTTP against a listener that accepts and never answers, with small -TimeoutSec
/// values; and no fourth setting anywhere in Core.
/// </summary>
public sealed class RequestTimeoutsTests : IDisposable
{
    private readonly CanaryListener _silent = CanaryListener.Start();

    public void Dispose() => _silent.Dispose();

    private Uri SilentBase => new(_silent.BaseUrl + "/");

    private ApiClient Client(int retries = 0) =>
        new(SilentBase, retry: new RetryOptions { MaxRetries = retries, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) });

    private static NetworkSettings TimeoutSec(double seconds) => new(null, TimeSpan.FromSeconds(seconds));

    private int RequestsSeen(string path) => Regex.Matches(_silent.Report, "GET " + Regex.Escape(path) + " HTTP/").Count;

    [Fact]
    public void An_attempt_gets_TimeoutSec_else_the_request_default_and_never_more_than_the_flows_limit()
    {
        Assert.Equal(TimeSpan.FromSeconds(100), RequestTimeouts.Default);
        Assert.Equal(RequestTimeouts.Default, RequestTimeouts.ForAttempt(null));
        Assert.Equal(RequestTimeouts.Default, RequestTimeouts.ForAttempt(TimeSpan.FromSeconds(500)));
        Assert.Equal(TimeSpan.FromSeconds(7), RequestTimeouts.ForAttempt(TimeSpan.FromSeconds(7)));
        // -Proxy alone leaves the default.
        Assert.Equal(RequestTimeouts.Default, RequestTimeouts.Of(new NetworkSettings(new ProxySettings(new Uri("http://127.0.0.1:3128"), null), null)));

        NetworkSettings.Run(TimeoutSec(200), () =>
        {
            Assert.Equal(TimeSpan.FromSeconds(200), RequestTimeouts.ForAttempt(null));
            Assert.Equal(TimeSpan.FromSeconds(200), RequestTimeouts.ForAttempt(TimeSpan.FromSeconds(900)));
            Assert.Equal(TimeSpan.FromSeconds(7), RequestTimeouts.ForAttempt(TimeSpan.FromSeconds(7)));
            Assert.Equal(TimeSpan.FromSeconds(200), RequestTimeouts.Of(NetworkSettings.Current));
            return true;
        });
        // After the call, the next one starts from the default again.
        Assert.Equal(RequestTimeouts.Default, RequestTimeouts.ForAttempt(null));
    }

    [Fact]
    public async Task TimeoutSec_ends_a_request_to_a_server_that_never_answers()
    {
        var error = await NetworkSettings.Run(TimeoutSec(1), () => Assert.ThrowsAsync<NaraAuthException>(
            () => Client().SendAsync(new ApiRequest(HttpMethod.Get, "/api/me"), TestContext.Current.CancellationToken)));
        Assert.Equal("RequestTimedOut", error.ErrorId);
        Assert.Equal(NaraErrorCategory.OperationTimeout, error.Category);
        Assert.True(error.IsTransient);
        Assert.Contains("did not answer within 1 s", error.Message);
        Assert.Equal(1, RequestsSeen("/api/me"));
    }

    [Fact]
    public async Task Each_retry_of_an_idempotent_call_gets_the_whole_TimeoutSec_again()
    {
        var error = await NetworkSettings.Run(TimeoutSec(1), () => Assert.ThrowsAsync<NaraAuthException>(
            () => Client(retries: 1).SendAsync(new ApiRequest(HttpMethod.Get, "/api/retried"), TestContext.Current.CancellationToken)));
        Assert.Equal("RequestTimedOut", error.ErrorId);
        Assert.Contains("within 1 s", error.Message);
        await WaitUntil(() => RequestsSeen("/api/retried") == 2);
        Assert.Equal(2, RequestsSeen("/api/retried"));
    }

    [Fact]
    public async Task A_flows_time_limit_clips_an_attempt_even_under_a_longer_TimeoutSec()
    {
        var request = new ApiRequest(HttpMethod.Get, "/api/clipped") { TimeLimit = TimeSpan.FromSeconds(1) };
        var error = await NetworkSettings.Run(TimeoutSec(600), () => Assert.ThrowsAsync<NaraAuthException>(
            () => Client().SendAsync(request, TestContext.Current.CancellationToken)));
        Assert.Equal("RequestTimedOut", error.ErrorId);
        Assert.Equal(NaraErrorCategory.OperationTimeout, error.Category);
        Assert.Contains("within 1 s", error.Message);
    }

    [Fact]
    public async Task A_desktop_login_poll_never_outlives_the_login_wait()
    {
        // -TimeoutSec 600 and a server that never answers: only the login's 2 s can end the poll.
        // The guard token is the test's own limit; reaching it would mean the poll outlived the wait.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(90));
        var flow = new DesktopLoginFlow(new ApiClient(SilentBase, retry: new RetryOptions { MaxRetries = 0 }), SystemClock.Instance);
        var start = new DesktopLoginStart("WDJB-MJHT", "http://127.0.0.1/approve", DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMilliseconds(200));
        var error = await NetworkSettings.Run(TimeoutSec(600), () => Assert.ThrowsAsync<NaraAuthException>(
            () => flow.WaitForTokenAsync(start, TimeSpan.FromSeconds(2), guard.Token)));
        Assert.Equal("LoginTimedOut", error.ErrorId);
        Assert.Equal(NaraErrorCategory.OperationTimeout, error.Category);
        Assert.False(guard.IsCancellationRequested);
        Assert.True(RequestsSeen("/api/auth/desktop/session/token?code=WDJB-MJHT") >= 1, _silent.Report);
    }

    [Fact]
    public async Task An_EdgePlane_login_poll_never_outlives_the_login_wait()
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(90));
        var flow = new CliLoginFlow(SilentBase, SystemClock.Instance) { MaxWait = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromMilliseconds(200) };
        var start = new CliLoginStart(new Uri("http://127.0.0.1/authorize"), "nonce-1", DateTimeOffset.UtcNow.AddMinutes(10));
        var error = await NetworkSettings.Run(TimeoutSec(600), () => Assert.ThrowsAsync<NaraAuthException>(
            () => flow.WaitForGrantAsync(start, guard.Token)));
        Assert.Equal("EdgePlaneLoginTimedOut", error.ErrorId);
        Assert.Equal(NaraErrorCategory.OperationTimeout, error.Category);
        Assert.False(guard.IsCancellationRequested);
        Assert.True(RequestsSeen("/auth/oidc/cli-poll/nonce-1") >= 1, _silent.Report);
    }

    /// <summary>
    /// Every member or parameter of Core that holds a duration and is called a timeout. Only the
    /// three settings may appear: the call's -TimeoutSec, the flows' login limits, and the
    /// loopback listener's bounds on the browser's request to us (not a request of ours). The
    /// request default is <see cref="RequestTimeouts.Default"/>; the attempt's timeout is reported
    /// in <c>TransportErrors.TimedOut</c>.
    /// </summary>
    [Fact]
    public void No_other_timeout_setting_exists_in_Core()
    {
        var allowed = new[]
        {
            "NetworkSettings.RequestTimeout", "NetworkSettings..ctor(requestTimeout)",
            "BrowserLoginOptions.LoginTimeout", "EdgeConnectorLoginRequest.LoginTimeout", "EdgePlaneLoginRequest.LoginTimeout", "OidcLoginRequest.LoginTimeout",
            "DesktopLoginFlow.WaitForTokenAsync(loginTimeout)", "DesktopLoginFlow.Ended(loginTimeout)",
            "LoopbackRedirectListener.ReadTimeout", "LoopbackRedirectListener.WriteTimeout",
            "TransportErrors.TimedOut(timeout)",
        };
        // Joined, so a failure lists every name at once.
        Assert.Equal(string.Join("\n", allowed.OrderBy(n => n, StringComparer.Ordinal)),
            string.Join("\n", TimeoutNamedDurations().Distinct().OrderBy(n => n, StringComparer.Ordinal)));

        // The objects a request passes through carry no timeout of their own.
        Assert.Equal(new[] { "TimeLimit" }, Durations(typeof(ApiRequest)));
        Assert.Equal(new[] { "BaseDelay", "Budget", "MaxDelay" }, Durations(typeof(RetryOptions)));
        Assert.Equal(new[] { "Default" }, Durations(typeof(RequestTimeouts)));
        foreach (var type in new[] { typeof(ApiClient), typeof(Platform.PlatformClient), typeof(EdgePlaneApi), typeof(EdgeConnectorSocket) })
            Assert.Empty(Durations(type));
    }

    private static IEnumerable<string> TimeoutNamedDurations()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in typeof(ApiClient).Assembly.GetTypes().Where(t => !IsGenerated(t)))
        {
            foreach (var field in type.GetFields(all).Where(f => !IsGenerated(f) && IsDuration(f.FieldType) && IsTimeout(f.Name)))
                yield return type.Name + "." + field.Name;
            foreach (var property in type.GetProperties(all).Where(p => IsDuration(p.PropertyType) && IsTimeout(p.Name)))
                yield return type.Name + "." + property.Name;
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)).Where(m => !IsGenerated(m)))
                foreach (var parameter in method.GetParameters().Where(p => IsDuration(p.ParameterType) && IsTimeout(p.Name!)))
                    yield return $"{type.Name}.{method.Name}({parameter.Name})";
        }
    }

    private static string[] Durations(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Where(p => IsDuration(p.PropertyType)).Select(p => p.Name)
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .Where(f => !IsGenerated(f) && IsDuration(f.FieldType)).Select(f => f.Name))
            .OrderBy(n => n, StringComparer.Ordinal).ToArray();

    private static bool IsDuration(Type type) => type == typeof(TimeSpan) || type == typeof(TimeSpan?);

    private static bool IsTimeout(string name) => name.IndexOf("timeout", StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool IsGenerated(MemberInfo member) =>
        member.Name.Contains('<') || member.IsDefined(typeof(CompilerGeneratedAttribute), false)
        || (member.DeclaringType is { } declaring && member is not Type && IsGenerated(declaring));

    private static async Task WaitUntil(Func<bool> condition)
    {
        // The listener records bytes as they arrive; give the second attempt's request a moment.
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50, TestContext.Current.CancellationToken);
    }
}
