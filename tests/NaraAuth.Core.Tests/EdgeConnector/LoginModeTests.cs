using NaraAuth.Core.EdgeConnector;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Storage;
using NaraAuth.Core.EdgeConnector.Login;

namespace NaraAuth.Core.Tests.EdgeConnector;

/// <summary>Which login Connect-EdgeConnector runs, and the empty -Token it refuses first.</summary>
public class LoginModeTests
{
    [Theory]
    [InlineData("DEPLOYMENT_ID")]
    [InlineData("DEPLOYMENT_SECRET")]
    [InlineData("DEPLOYMENT_CREDENTIALS_PATH")]
    public void Any_deployment_setting_in_the_environment_turns_the_default_login_into_deployment(string variable)
    {
        var env = new FakeEnvironment().Set(variable, "x");
        Assert.Equal(EdgeConnectorLoginMode.Deployment, EdgeConnectorLoginModes.Choose(EdgeConnectorLoginMode.Browser, browserOptionGiven: false, env));
        Assert.True(EdgeConnectorLoginModes.DeploymentConfigured(env));
    }

    [Fact]
    public void A_browser_option_keeps_the_browser_login_even_with_deployment_settings()
    {
        var env = new FakeEnvironment().Set("DEPLOYMENT_ID", "dep_1").Set("DEPLOYMENT_SECRET", "s");
        Assert.Equal(EdgeConnectorLoginMode.Browser, EdgeConnectorLoginModes.Choose(EdgeConnectorLoginMode.Browser, browserOptionGiven: true, env));
    }

    [Fact]
    public void Without_deployment_settings_the_browser_login_runs()
    {
        var env = new FakeEnvironment().Set("DEPLOYMENT_ID", "");
        Assert.False(EdgeConnectorLoginModes.DeploymentConfigured(env));
        Assert.Equal(EdgeConnectorLoginMode.Browser, EdgeConnectorLoginModes.Choose(EdgeConnectorLoginMode.Browser, browserOptionGiven: false, env));
    }

    [Theory]
    [InlineData(EdgeConnectorLoginMode.Token)]
    [InlineData(EdgeConnectorLoginMode.Deployment)]
    public void A_chosen_token_or_deployment_login_is_kept(EdgeConnectorLoginMode requested)
    {
        var env = new FakeEnvironment().Set("DEPLOYMENT_CREDENTIALS_PATH", "c.json");
        Assert.Equal(requested, EdgeConnectorLoginModes.Choose(requested, browserOptionGiven: false, env));
        Assert.Equal(requested, EdgeConnectorLoginModes.Choose(requested, browserOptionGiven: false, new FakeEnvironment()));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t")]
    public void An_empty_token_argument_is_EmptyToken_before_any_file_is_looked_for(string value)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<NaraAuthException>(() => TokenInput.Resolve(value, dir.Path, new SecureFileStore(new FakeEnvironment(dir.Path))));
        Assert.Equal("EmptyToken", e.ErrorId);
        Assert.Equal(NaraErrorCategory.InvalidArgument, e.Category);
        Assert.Equal("-Token is empty.", e.Message);
        Assert.Contains("token file or the JWT", e.RecommendedAction);
    }
}
