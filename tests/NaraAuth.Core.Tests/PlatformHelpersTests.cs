using System.Collections;
using System.Net;
using NaraAuth.Core.Ci;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Http;
using NaraAuth.Core.Json;
using NaraAuth.Core.Platform;

namespace NaraAuth.Core.Tests;

public class PlatformHelpersTests
{
    [Fact]
    public void PlainJson_round_trips_objects_arrays_and_scalars_in_order()
    {
        var parsed = (PlainJsonObject)PlainJson.Parse("{\"b\": 1, \"a\": [true, null, 2.5, \"x\"], \"c\": {\"d\": 9007199254740993}}")!;
        Assert.Equal(new[] { "b", "a", "c" }, parsed.Select(p => p.Key));
        Assert.Equal(1L, parsed[0].Value);
        var array = (List<object?>)parsed[1].Value!;
        Assert.Equal(new object?[] { true, null, 2.5, "x" }, array);
        Assert.Equal(9007199254740993L, ((PlainJsonObject)parsed[2].Value!)[0].Value);
        Assert.Equal("{\"b\":1,\"a\":[true,null,2.5,\"x\"],\"c\":{\"d\":9007199254740993}}", PlainJson.Serialize(parsed));
    }

    [Fact]
    public void PlainJson_serializes_dictionaries_dates_and_enums()
    {
        var body = new Hashtable { ["when"] = new DateTimeOffset(2025, 1, 15, 10, 30, 0, TimeSpan.Zero), ["kind"] = DayOfWeek.Monday };
        var json = PlainJson.Serialize(body);
        Assert.Contains("\"when\":\"2025-01-15T10:30:00.000Z\"", json);
        Assert.Contains("\"kind\":\"Monday\"", json);
        Assert.Null(PlainJson.Parse("  "));
    }

    [Fact]
    public void PlainJson_refuses_a_body_that_refers_to_itself()
    {
        var list = new ArrayList();
        list.Add(list);
        Assert.Equal("BodyTooDeep", Assert.Throws<NaraAuthException>(() => PlainJson.Serialize(list)).ErrorId);
    }

    [Theory]
    [InlineData("/api/agent/run", true)]
    [InlineData("/api/tokens?x=1", true)]
    [InlineData("api/agent/run", false)]
    [InlineData("//evil.example.com/api", false)]
    [InlineData("/\\evil.example.com", false)]
    [InlineData("https://evil.example.com/api", false)]
    [InlineData("/api/x\r\nHost: evil", false)]
    [InlineData("", false)]
    public void RestPath_only_accepts_paths_on_the_platform(string path, bool ok)
    {
        if (ok) Assert.Equal(path, RestPath.Validate(path));
        else Assert.Equal("InvalidApiPath", Assert.Throws<NaraAuthException>(() => RestPath.Validate(path)).ErrorId);
    }

    [Fact]
    public void Azure_secret_variable_command_is_escaped_and_needs_a_pipeline()
    {
        Assert.Equal("##vso[task.setvariable variable=NARA_TOKEN;issecret=true]nara_tk_1%0Ax",
            AzurePipelinesVariable.SetSecretCommand("NARA_TOKEN", "nara_tk_1\nx"));
        var env = new FakeEnvironment("/tmp");
        Assert.Equal("NotInAzurePipelines", Assert.Throws<NaraAuthException>(() => AzurePipelinesVariable.EnsureUsable(env, "NARA_TOKEN", "-V")).ErrorId);
        env.Set("TF_BUILD", "True");
        AzurePipelinesVariable.EnsureUsable(env, "my.var-1", "-V");
        foreach (var bad in new[] { "a;b", "a]b", "a b", "" })
            Assert.Equal("InvalidPipelineVariableName", Assert.Throws<NaraAuthException>(() => AzurePipelinesVariable.EnsureUsable(env, bad, "-V")).ErrorId);
    }

    [Fact]
    public void Proxy_settings_with_the_same_account_are_equal_so_the_client_is_reused()
    {
        var proxy = new Uri("http://proxy:8080");
        Assert.Equal(new ProxySettings(proxy, new NetworkCredential("u", "p")), new ProxySettings(proxy, new NetworkCredential("u", "p")));
        Assert.NotEqual(new ProxySettings(proxy, new NetworkCredential("u", "p")), new ProxySettings(proxy, new NetworkCredential("u", "q")));
        Assert.Same(SharedHttpClient.Get(new ProxySettings(proxy, new NetworkCredential("u", "p"))),
            SharedHttpClient.Get(new ProxySettings(proxy, new NetworkCredential("u", "p"))));
    }
}
