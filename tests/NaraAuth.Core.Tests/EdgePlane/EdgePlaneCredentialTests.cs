using NaraAuth.Core.Abstractions;
using NaraAuth.Core.EdgePlane;
using NaraAuth.Core.Errors;
using NaraAuth.Emulator;

namespace NaraAuth.Core.Tests.EdgePlane;

/// <summary>
/// Which credential an EdgePlane call uses (-Token, else EP_TOKEN, else the saved session) and
/// where each may go: a token the user handed over only to the EdgePlane the user named.
/// </summary>
public sealed class EdgePlaneCredentialTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 1, 15, 10, 0, 0, TimeSpan.Zero);
    private const string SessionToken = "mcs_session0123456789";
    private const string ServiceAccountToken = "mcs_sa_pipeline0123456789";
    private readonly string _home = Directory.CreateTempSubdirectory("naraauth-ep-cred-").FullName;
    private readonly FakeEnvironment _environment;
    private readonly CoreContext _context;

    public EdgePlaneCredentialTests()
    {
        _environment = new FakeEnvironment(_home);
        _context = new CoreContext(_environment, new FakeClock(Now), _home);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string SessionPath => EdgePlaneSession.DefaultPath(_environment);

    private void SaveSession(string baseUrl = "https://edgeplane.example.com") =>
        new EdgePlaneSession(SessionToken, "ada", "ada@example.com", Now.AddHours(8), baseUrl, 7).Write(_context.Store, SessionPath);

    private static string Jwt() => UnsignedJwt.Of("{\"sub\":\"pipeline\",\"aud\":\"edgeplane\"}");

    [Fact]
    public void The_Token_parameter_wins_over_EP_TOKEN_and_the_session_and_goes_to_the_named_base_url()
    {
        SaveSession();
        _environment.Set("EP_TOKEN", ServiceAccountToken);
        var credential = EdgePlaneCredential.Resolve(" " + Jwt() + " ", "https://ep.example.org", _context);
        Assert.Equal(Jwt(), credential.Value);
        Assert.Equal(EdgePlaneCredentialSource.Parameter, credential.Source);
        Assert.Equal(EdgePlaneTokenKind.OidcAccessToken, credential.Kind);
        Assert.Equal("https://ep.example.org/", credential.BaseUrl.ToString());
        Assert.Equal("an OIDC access token from the -Token parameter", credential.Summary);
    }

    [Fact]
    public void EP_TOKEN_wins_over_the_session_and_goes_to_EP_BASE_URL_not_to_the_sessions_base_url()
    {
        SaveSession("https://session-host.example.com");
        _environment.Set("EP_TOKEN", " " + ServiceAccountToken + " ").Set("EP_BASE_URL", "https://ep.example.org");
        var credential = EdgePlaneCredential.Resolve(null, null, _context);
        Assert.Equal(ServiceAccountToken, credential.Value);
        Assert.Equal(EdgePlaneCredentialSource.EnvironmentVariable, credential.Source);
        Assert.Equal(EdgePlaneTokenKind.ServiceAccount, credential.Kind);
        Assert.Equal("https://ep.example.org/", credential.BaseUrl.ToString());
        Assert.Equal("EP_TOKEN", credential.Description);
        Assert.DoesNotContain(ServiceAccountToken, credential.Summary);
    }

    [Fact]
    public void EP_TOKEN_without_a_named_EdgePlane_is_refused_rather_than_sent_to_the_session_files_base_url()
    {
        SaveSession("https://session-host.example.com");
        _environment.Set("EP_TOKEN", ServiceAccountToken);
        var error = Assert.Throws<NaraAuthException>(() => EdgePlaneCredential.Resolve(null, null, _context));
        Assert.Equal("EdgePlaneUrlMissing", error.ErrorId);
        Assert.Equal(NaraErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("EP_TOKEN", error.Message);
        Assert.Contains("never to the address in a saved session file", error.Message);
        Assert.DoesNotContain(ServiceAccountToken, error.ToString());
    }

    [Fact]
    public void A_Token_that_is_the_sessions_own_may_go_to_the_sessions_base_url()
    {
        SaveSession("https://session-host.example.com");
        var credential = EdgePlaneCredential.Resolve(SessionToken, null, _context);
        Assert.Equal(EdgePlaneCredentialSource.Parameter, credential.Source);
        Assert.Equal(EdgePlaneTokenKind.Session, credential.Kind);
        Assert.Equal("https://session-host.example.com/", credential.BaseUrl.ToString());

        var other = Assert.Throws<NaraAuthException>(() => EdgePlaneCredential.Resolve(SessionToken + "x", null, _context));
        Assert.Equal("EdgePlaneUrlMissing", other.ErrorId);
    }

    [Fact]
    public void The_saved_session_is_used_last_and_goes_to_its_own_base_url_unless_BaseUrl_names_another()
    {
        SaveSession("https://session-host.example.com");
        _environment.Set("EP_BASE_URL", "https://ep.example.org");
        var credential = EdgePlaneCredential.Resolve(null, null, _context);
        Assert.Equal(SessionToken, credential.Value);
        Assert.Equal(EdgePlaneCredentialSource.SessionFile, credential.Source);
        Assert.Equal(SessionPath, credential.SessionPath);
        Assert.Equal("https://session-host.example.com/", credential.BaseUrl.ToString());
        Assert.Equal("https://other.example.net/", EdgePlaneCredential.Resolve(null, "https://other.example.net", _context).BaseUrl.ToString());
    }

    [Fact]
    public void With_no_credential_at_all_the_error_names_every_place_looked_at()
    {
        var error = Assert.Throws<NaraAuthException>(() => EdgePlaneCredential.Resolve(null, "https://ep.example.org", _context));
        Assert.Equal("EdgePlaneSessionNotFound", error.ErrorId);
        Assert.Contains("-Token", error.Message);
        Assert.Contains("EP_TOKEN", error.Message);
        Assert.Contains(SessionPath, error.Message);
        Assert.Contains("EP_TOKEN", error.RecommendedAction);
    }

    [Fact]
    public void A_blank_Token_or_an_EP_TOKEN_with_a_line_break_is_refused_without_quoting_it()
    {
        Assert.Equal("EmptyToken", Assert.Throws<NaraAuthException>(() => EdgePlaneCredential.Resolve("  ", "https://ep.example.org", _context)).ErrorId);
        _environment.Set("EP_TOKEN", "mcs_sa_first\nmcs_sa_second");
        var error = Assert.Throws<NaraAuthException>(() => EdgePlaneCredential.Resolve(null, "https://ep.example.org", _context));
        Assert.Equal("TokenInvalidCharacters", error.ErrorId);
        Assert.Contains("EP_TOKEN", error.Message);
        Assert.DoesNotContain("mcs_sa_first", error.ToString());
    }

    [Fact]
    public void A_token_is_never_sent_over_plain_http_to_another_host()
    {
        _environment.Set("EP_TOKEN", ServiceAccountToken).Set("EP_BASE_URL", "http://ep.example.org");
        Assert.Equal("InsecureBaseUrl", Assert.Throws<NaraAuthException>(() => EdgePlaneCredential.Resolve(null, null, _context)).ErrorId);
    }

    [Fact]
    public async Task A_rejected_token_names_its_kind_source_and_EdgePlanes_reason_but_never_its_value()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { EdgePlaneAuthMode = EdgePlaneAuthMode.Oidc }, TestContext.Current.CancellationToken);
        var sa = server.State.EdgePlane.MintServiceAccount("ci").Token;
        _environment.Set("EP_TOKEN", sa).Set("EP_BASE_URL", server.BaseUrl.ToString());
        var api = new EdgePlaneApi(EdgePlaneCredential.Resolve(null, null, _context));
        var error = await Assert.ThrowsAsync<NaraAuthException>(() => api.WhoAmIAsync(TestContext.Current.CancellationToken));
        Assert.Equal("EdgePlaneTokenRejected", error.ErrorId);
        Assert.Equal(NaraErrorCategory.AuthenticationError, error.Category);
        Assert.Contains("a service-account token from EP_TOKEN", error.Message);
        Assert.Contains("AUTH_MODE=oidc", error.Message);
        Assert.DoesNotContain(sa, error.ToString());

        server.State.EdgePlane.AuthMode = EdgePlaneAuthMode.Dual;
        var identity = await api.WhoAmIAsync(TestContext.Current.CancellationToken);
        Assert.Equal("ci", identity.Subject);
    }
}
